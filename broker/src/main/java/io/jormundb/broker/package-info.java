/**
 * The MQTT side of the server. {@link io.jormundb.broker.MqttService} is the entry point; the
 * rest is wiring behind it:
 * <pre>
 * changelog (RocksDB) --Feed--&gt; ChangelogPublisher "mqtt"        --&gt; EmbeddedTarget --&gt; Moquette --&gt; subscribers
 *                     --Feed--&gt; ChangelogPublisher "mqtt-bridge" --&gt; BridgeTarget   --&gt; external broker
 * </pre>
 * Each publisher owns a cursor persisted in RocksDB (STATE keyspace, {@code Keys.cursor(reader)})
 * and advances it only over messages its target took, so delivery is at least once across
 * crashes and outages of the external broker. Topics are built by
 * {@link io.jormundb.broker.topic.MqttTopics} only. Moquette types stay in
 * {@code broker.embedded}, hivemq-mqtt-client types in {@code broker.bridge}.
 */
package io.jormundb.broker;
