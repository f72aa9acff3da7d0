package io.jormundb.broker.sessions;

import io.jormundb.engine.changelog.Position;

/**
 * What RocksDB keeps of the embedded broker as a whole ({@code Keys.mqttBroker()}).
 *
 * @param stoppedCleanly whether it was written by a clean stop (a start writes {@code false})
 * @param floor          the lowest changelog position some persistent session may not have
 *                       acknowledged: a restart publishes again from there; {@code null} when
 *                       no session is owed anything
 */
record BrokerRecord(boolean stoppedCleanly, Position floor) {
}
