package io.jormundb.broker.embedded;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Moquette 0.17 session event loop dies of the first exception one of its commands throws, and
 * every later command for its sessions waits for good; the revival gives its queue to a new
 * thread, which runs them.
 */
class SessionLoopRevivalTest {
    @TempDir
    Path dataDir;

    @Test
    void aSessionLoopThatDiedOfAnErrorRunsItsCommandsAgain() throws Exception {
        Server broker = new Server();
        Properties p = new Properties();
        p.setProperty(IConfig.PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toString());
        broker.startServer(new MemoryConfig(p), List.of());
        try (SessionLoopRevival revival = SessionLoopRevival.start(broker)) {
            Object postOffice = LocalBroker.serverField(broker, "dispatcher");
            Method route = postOffice.getClass().getDeclaredMethod("routeCommand", String.class, String.class,
                    Callable.class);
            route.setAccessible(true);
            route.invoke(postOffice, "victim", "fail", (Callable<String>) () -> {
                throw new IllegalStateException("a command that fails, as a double release did");
            });

            CompletableFuture<String> ran = new CompletableFuture<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                route.invoke(postOffice, "victim", "after", (Callable<String>) () -> {
                    ran.complete(Thread.currentThread().getName());
                    return null;
                });
                return ran.isDone();
            });
            assertTrue(ran.get(1, TimeUnit.SECONDS).startsWith("Session Executor "), ran.get());
        } finally {
            broker.stopServer();
        }
    }
}
