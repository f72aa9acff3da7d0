package io.jormundb.broker.sessions;

import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads and writes the MQTT state in RocksDB ({@link SessionCodec}); each write is one atomic batch. */
final class SessionStore {
    private final Store store;

    SessionStore(Store store) {
        this.store = store;
    }

    /** The broker's record, or {@code null} before the first start that kept persistent sessions. */
    BrokerRecord broker() {
        byte[] value = store.get(Keys.mqttBroker());
        return value == null ? null : SessionCodec.decodeBroker(value);
    }

    List<SessionRecord> sessions() {
        List<SessionRecord> sessions = new ArrayList<>();
        store.forEach(Keys.mqttSessions(), (key, value) -> {
            sessions.add(SessionCodec.decodeSession(Keys.mqttSessionClientId(key), value));
            return true;
        });
        return sessions;
    }

    /**
     * Writes {@code broker} (unless {@code null}) and {@code sessions}, and deletes the sessions of
     * {@code removed}, in one batch.
     */
    void write(BrokerRecord broker, Collection<SessionRecord> sessions, Collection<String> removed) {
        try (WriteBatch batch = new WriteBatch()) {
            if (broker != null) {
                store.put(batch, Keys.mqttBroker(), SessionCodec.encode(broker));
            }
            for (SessionRecord session : sessions) {
                store.put(batch, Keys.mqttSession(session.clientId()), SessionCodec.encode(session));
            }
            for (String clientId : removed) {
                store.delete(batch, Keys.mqttSession(clientId));
            }
            store.write(batch);
        }
    }
}
