/**
 * The MQTT side of the server. {@link io.jormundb.broker.MqttService} is the entry point; the
 * rest is wiring behind it:
 * <pre>
 * changelog (RocksDB) --Feed--&gt; ChangelogPublisher "mqtt"        --&gt; EmbeddedTarget --&gt; Moquette --&gt; guard --&gt; subscribers
 *                                                                   | route               |   subscriptions,
 *                                                                   v                     |   PUBACKs
 *                                                    PersistentSessions (RocksDB) &lt;-----+
 *                     --Feed--&gt; ChangelogPublisher "mqtt-bridge" --&gt; BridgeTarget   --&gt; external broker
 * </pre>
 * Each publisher owns a cursor persisted in RocksDB (NODE keyspace, in the node-local column family: {@code Keys.cursor(reader)})
 * and advances it only over messages its target took, so delivery is at least once across
 * crashes and outages of the external broker. Taken is not delivered for the embedded broker,
 * whose queues do not survive a crash: {@link io.jormundb.broker.sessions.PersistentSessions}
 * keeps in RocksDB what each persistent session is owed and has not acknowledged, and its
 * publisher resumes from before the oldest of that. Topics are built by
 * {@link io.jormundb.broker.topic.MqttTopics} only. Moquette types stay in
 * {@code broker.embedded}, hivemq-mqtt-client types in {@code broker.bridge}.
 */
package io.jormundb.broker;
