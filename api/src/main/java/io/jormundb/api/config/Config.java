package io.jormundb.api.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's configuration, as parsed by {@link ConfigParser}. Immutable.
 *
 * @param mqttPort              {@code 0} for no embedded broker
 * @param mqttBridge            URI of an external broker to publish to, or {@code null}
 * @param changelogPartitions   for tables created from now on
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        boolean verbose,
        int mqttPort,
        int changelogPartitions,
        Duration changelogRetention,
        Duration sseHeartbeat,
        String mqttBridge,
        String mqttBridgeUser,
        String mqttBridgePassword,
        String mqttBridgeClientId,
        String mqttBridgePrefix,
        String mqttUser,
        String mqttPassword,
        boolean sync) {

    /** The defaults of DESIGN.md, for tests to adjust with the {@code with…} methods. */
    public static Config defaults() {
        return ConfigParser.parse(new String[0], java.util.Map.of());
    }

    public Config withPort(int newPort) {
        return new Config(host, newPort, dataDir, verbose, mqttPort, changelogPartitions, changelogRetention,
                sseHeartbeat, mqttBridge, mqttBridgeUser, mqttBridgePassword, mqttBridgeClientId, mqttBridgePrefix,
                mqttUser, mqttPassword, sync);
    }

    public Config withDataDir(Path newDataDir) {
        return new Config(host, port, newDataDir, verbose, mqttPort, changelogPartitions, changelogRetention,
                sseHeartbeat, mqttBridge, mqttBridgeUser, mqttBridgePassword, mqttBridgeClientId, mqttBridgePrefix,
                mqttUser, mqttPassword, sync);
    }

    public Config withMqttPort(int newMqttPort) {
        return new Config(host, port, dataDir, verbose, newMqttPort, changelogPartitions, changelogRetention,
                sseHeartbeat, mqttBridge, mqttBridgeUser, mqttBridgePassword, mqttBridgeClientId, mqttBridgePrefix,
                mqttUser, mqttPassword, sync);
    }

    public Config withChangelogRetention(Duration newRetention) {
        return new Config(host, port, dataDir, verbose, mqttPort, changelogPartitions, newRetention,
                sseHeartbeat, mqttBridge, mqttBridgeUser, mqttBridgePassword, mqttBridgeClientId, mqttBridgePrefix,
                mqttUser, mqttPassword, sync);
    }

    public Config withSseHeartbeat(Duration newHeartbeat) {
        return new Config(host, port, dataDir, verbose, mqttPort, changelogPartitions, changelogRetention,
                newHeartbeat, mqttBridge, mqttBridgeUser, mqttBridgePassword, mqttBridgeClientId, mqttBridgePrefix,
                mqttUser, mqttPassword, sync);
    }

    /** Subscribers must give this user and password ({@code null}: anonymous). */
    public Config withMqttAuth(String user, String password) {
        return new Config(host, port, dataDir, verbose, mqttPort, changelogPartitions, changelogRetention,
                sseHeartbeat, mqttBridge, mqttBridgeUser, mqttBridgePassword, mqttBridgeClientId, mqttBridgePrefix,
                user, password, sync);
    }

    /** Publish to an external broker at {@code uri} ({@code null}: no bridge). */
    public Config withMqttBridge(String uri, String user, String password, String clientId, String prefix) {
        return new Config(host, port, dataDir, verbose, mqttPort, changelogPartitions, changelogRetention,
                sseHeartbeat, uri, user, password, clientId, prefix, mqttUser, mqttPassword, sync);
    }
}
