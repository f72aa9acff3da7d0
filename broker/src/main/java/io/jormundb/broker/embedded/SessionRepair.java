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
import java.util.function.Function;

/**
 * Works around a Moquette 0.17 crash trap. Moquette stores a persistent session without its
 * expiry instant and fills that in only at a clean stop; after a crash (kill -9, power loss) such
 * a session is in its store without one, and the next start fails with "Can't track for
 * expiration a session without expiry instant". Before the broker starts, this gives every such
 * session the expiry a clean stop would have given it, so the broker starts and the session
 * keeps its subscriptions and queued messages. It says so only when a persistent session needed
 * it: after a clean stop, nothing does.
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
            List<ISessionsRepository.SessionData> unfinished = withSessions(brokerDataPath, unused,
                    sessions -> sessions.list().stream().filter(s -> s.expireAt().isEmpty()).toList());
            if (unfinished.isEmpty()) {
                return;
            }
            // Written in a second opening of the store, not in the one that read it: H2's MVStore
            // (2.1.212) opened after a kill -9 and written at once loses data at close (measured:
            // the reopened store held an older version, without the sessions just repaired and
            // with others back to no expiry); opened and closed once first, it writes correctly.
            withSessions(brokerDataPath, unused, sessions -> {
                unfinished.forEach(session -> sessions.saveSession(session.withExpirationComputed()));
                return null;
            });
            // A clean session is stored without expiry even by a clean stop (Moquette saves one
            // at CONNECT and never again); only a persistent one tells of a crash.
            long persistent = unfinished.stream().filter(s -> s.expiryInterval() > 0).count();
            if (persistent > 0) {
                LOG.info("MQTT broker was not stopped cleanly: restored the expiry of {} persistent sessions",
                        persistent);
            }
        } finally {
            unused.shutdownNow();
        }
    }

    /** Opens Moquette's store, runs {@code work} on its sessions and closes it (committing what it wrote). */
    private static <T> T withSessions(Path brokerDataPath, ScheduledExecutorService unused,
                                      Function<ISessionsRepository, T> work) {
        H2Builder store = new H2Builder(unused, brokerDataPath, NO_AUTOSAVE_SECONDS, Clock.systemUTC()).initStore();
        try {
            return work.apply(store.sessionsRepository());
        } finally {
            store.closeStore();
        }
    }
}
