package io.jormundb.api;

import io.jormundb.api.config.Config;
import io.jormundb.api.config.ConfigException;
import io.jormundb.api.config.ConfigParser;
import io.jormundb.broker.embedded.EmbeddedBroker;
import io.jormundb.engine.store.FileErrors;
import io.jormundb.engine.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/** {@code java -jar jormundb.jar [flags]}: parses the configuration, starts the server, stops on SIGTERM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (ConfigParser.wantsHelp(args)) {
            System.out.print(ConfigParser.help());
            return;
        }
        if (ConfigParser.wantsVersion(args)) {
            System.out.println("jormundb " + Version.current());
            return;
        }
        Config config;
        try {
            config = ConfigParser.parse(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("jormundb: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logging.configure(config.verbose());
        Logger log = LoggerFactory.getLogger(Main.class);
        JormunServer server = startOrExit(config);
        AtomicReference<JormunServer> running = new AtomicReference<>(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            running.get().close();
            log.info("closed cleanly");
        }, "jormundb-shutdown"));
        log.info("JormunDB listening on {}://{}:{} (DynamoDB API on POST /, changes on /changes, console on "
                        + "/console), MQTT {}{}, data in {} (RocksDB cache {}MB)",
                config.tls() == null ? "http" : "https", config.host(), server.port(),
                config.mqttPort() == 0 ? "off" : "on " + config.host() + ":" + config.mqttPort()
                        + (config.mqttTlsPort() == 0 ? "" : ", mqtts://" + config.host() + ":" + config.mqttTlsPort())
                        + (config.mqttWsPort() == 0 ? "" : " and " + (config.tls() == null ? "ws" : "wss") + "://"
                        + config.host() + ":" + config.mqttWsPort() + EmbeddedBroker.WEBSOCKET_PATH),
                config.mqttBridge() == null ? "" : ", bridged to " + config.mqttBridge(),
                config.dataDir().toAbsolutePath().normalize(), config.cacheSize() >> 20);
        if (config.isFollower()) {
            log.info("following {} (a read-only replica; writes go to the leader)", config.follow());
            rebootstrapWhenAsked(config, running, log);
        }
    }

    /**
     * A follower that fell off its leader's log asks to be started again: it is closed and a new
     * one started on the same configuration, which copies a fresh checkpoint of the leader.
     */
    private static void rebootstrapWhenAsked(Config config, AtomicReference<JormunServer> running, Logger log) {
        while (true) {
            running.get().rebootstrapRequested().join();
            log.warn("restarting on a fresh checkpoint of the leader {}", config.follow());
            running.get().close();
            running.set(startOrExit(config));
        }
    }

    private static JormunServer startOrExit(Config config) {
        try {
            return JormunServer.create(config).start();
        } catch (StoreException | CannotListenException e) {
            System.err.println("jormundb: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            // Some say nothing themselves (a null message): then their deepest cause's reason.
            System.err.println("jormundb: cannot start: " + (e.getMessage() != null ? e.getMessage()
                    : FileErrors.reason(e)));
            System.exit(1);
        }
        throw new IllegalStateException("unreachable: the JVM exits");
    }
}
