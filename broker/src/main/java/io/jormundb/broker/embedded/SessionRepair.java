package io.jormundb.broker.embedded;

import io.moquette.broker.ISessionsRepository;
import io.moquette.persistence.H2Builder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Works around a Moquette 0.17 crash trap. Moquette stores a persistent session without its
 * expiry instant and fills that in only at a clean stop; after a crash (kill -9, power loss) such
 * a session is in its store without one, and the next start fails with "Can't track for
 * expiration a session without expiry instant". Before the broker starts, this gives every such
 * session the expiry a clean stop would have given it, so the broker starts and the session
 * keeps its subscriptions and queued messages.
 */
final class SessionRepair {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRepair.class);
    /** Moquette's store file name in its data path (BrokerConstants.DEFAULT_MOQUETTE_STORE_H2_DB_FILENAME). */
    private static final String STORE_FILE = "moquette_store.h2";
    /** The store's commit task is never due: the store is closed (and so committed) at once. */
    private static final int NO_AUTOSAVE_SECONDS = 3600;

    private SessionRepair() {
    }

    static void repair(Path brokerDataPath) {
        if (!Files.exists(brokerDataPath.resolve(STORE_FILE))) {
            return;
        }
        ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
        try {
            H2Builder store = new H2Builder(unused, brokerDataPath, NO_AUTOSAVE_SECONDS, Clock.systemUTC()).initStore();
            try {
                ISessionsRepository sessions = store.sessionsRepository();
                List<ISessionsRepository.SessionData> unfinished = sessions.list().stream()
                        .filter(s -> s.expireAt().isEmpty())
                        .toList();
                for (ISessionsRepository.SessionData session : unfinished) {
                    sessions.saveSession(session.withExpirationComputed());
                }
                if (!unfinished.isEmpty()) {
                    LOG.info("MQTT broker was not stopped cleanly: restored the expiry of {} persistent sessions",
                            unfinished.size());
                }
            } finally {
                store.closeStore();
            }
        } finally {
            unused.shutdownNow();
        }
    }
}
