package io.jormundb.api.config;

import io.jormundb.api.auth.Credentials;
import io.jormundb.api.tls.ServerTls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The server's configuration, as parsed by {@link ConfigParser}. Immutable; {@link #with} gives
 * a copy with some values changed (tests: {@code config.with(b -> b.port(0).mqttPort(0))}).
 *
 * @param mqttPort              {@code 0} for no embedded broker
 * @param mqttWsPort            MQTT over WebSockets; {@code 0} for none
 * @param mqttConnectTimeout    how long an MQTT client may take to send its CONNECT
 * @param mqttMaxConnections    MQTT client connections open at most (TCP and WebSockets together)
 * @param mqttMaxPublishRate    PUBLISH packets a second an MQTT client connection may send (0: no limit)
 * @param mqttSessionExpiry     how long a persistent MQTT session may stay offline before it is removed
 * @param mqttBridge            URI of an external broker to publish to, or {@code null}
 * @param changelogPartitions   for tables created from now on
 * @param ttlInterval           how often the TTL expirer deletes expired items
 * @param corsOrigins           origins browsers may call from ({@code *}: any)
 * @param maxConnections        HTTP connections open at most (more wait for one to close)
 * @param requestHeaderTimeout  time a request's headers have to arrive, from their first byte
 * @param requestBodyTimeout    time a request's body has to arrive, once its headers have
 * @param auth                  the access keys of {@code --auth}, or {@code null}: anyone may do anything
 * @param tls                   the certificate and key of {@code --tls-cert}/{@code --tls-key}, or {@code null}: plain
 * @param mqttTlsPort           MQTT over TLS; {@code 0} for none
 * @param follow                the leader's base URL ({@code http://host:port}) for a follower,
 *                              {@code null} for a leader
 * @param replicationSecret     the shared secret of the replication endpoints, {@code null}: closed
 * @param walRetention          how long a leader keeps write-ahead log files for its followers
 * @param cacheSize             bytes RocksDB's block cache and memtables share
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        boolean verbose,
        int mqttPort,
        int mqttWsPort,
        Duration mqttConnectTimeout,
        int mqttMaxConnections,
        int mqttMaxPublishRate,
        Duration mqttSessionExpiry,
        int changelogPartitions,
        Duration changelogRetention,
        Duration sseHeartbeat,
        String mqttBridge,
        String mqttBridgeUser,
        String mqttBridgePassword,
        String mqttBridgeClientId,
        String mqttBridgePrefix,
        long mqttBridgeMaxPacketSize,
        String mqttUser,
        String mqttPassword,
        boolean sync,
        Duration ttlInterval,
        List<String> corsOrigins,
        int maxConnections,
        Duration requestHeaderTimeout,
        Duration requestBodyTimeout,
        Credentials auth,
        ServerTls tls,
        int mqttTlsPort,
        String follow,
        String replicationSecret,
        Duration walRetention,
        long cacheSize) {

    public Config {
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** The defaults of DESIGN.md, for tests to adjust with {@link #with}. */
    public static Config defaults() {
        return ConfigParser.parse(new String[0], Map.of());
    }

    /** An empty builder, for {@link ConfigParser}. */
    static Builder builder() {
        return new Builder();
    }

    /** A copy of this configuration with what {@code change} sets on its builder. */
    public Config with(UnaryOperator<Builder> change) {
        Builder b = builder();
        b.host = host;
        b.port = port;
        b.dataDir = dataDir;
        b.verbose = verbose;
        b.mqttPort = mqttPort;
        b.mqttWsPort = mqttWsPort;
        b.mqttConnectTimeout = mqttConnectTimeout;
        b.mqttMaxConnections = mqttMaxConnections;
        b.mqttMaxPublishRate = mqttMaxPublishRate;
        b.mqttSessionExpiry = mqttSessionExpiry;
        b.changelogPartitions = changelogPartitions;
        b.changelogRetention = changelogRetention;
        b.sseHeartbeat = sseHeartbeat;
        b.mqttBridge = mqttBridge;
        b.mqttBridgeUser = mqttBridgeUser;
        b.mqttBridgePassword = mqttBridgePassword;
        b.mqttBridgeClientId = mqttBridgeClientId;
        b.mqttBridgePrefix = mqttBridgePrefix;
        b.mqttBridgeMaxPacketSize = mqttBridgeMaxPacketSize;
        b.mqttUser = mqttUser;
        b.mqttPassword = mqttPassword;
        b.sync = sync;
        b.ttlInterval = ttlInterval;
        b.corsOrigins = corsOrigins;
        b.maxConnections = maxConnections;
        b.requestHeaderTimeout = requestHeaderTimeout;
        b.requestBodyTimeout = requestBodyTimeout;
        b.auth = auth;
        b.tls = tls;
        b.mqttTlsPort = mqttTlsPort;
        b.follow = follow;
        b.replicationSecret = replicationSecret;
        b.walRetention = walRetention;
        b.cacheSize = cacheSize;
        return change.apply(b).build();
    }

    public Config withPort(int value) {
        return with(b -> b.port(value));
    }

    public Config withDataDir(Path value) {
        return with(b -> b.dataDir(value));
    }

    public Config withMqttPort(int value) {
        return with(b -> b.mqttPort(value));
    }

    public Config withMqttSessionExpiry(Duration value) {
        return with(b -> b.mqttSessionExpiry(value));
    }

    public Config withChangelogRetention(Duration value) {
        return with(b -> b.changelogRetention(value));
    }

    public Config withSseHeartbeat(Duration value) {
        return with(b -> b.sseHeartbeat(value));
    }

    /** Subscribers must give this user and password ({@code null}: anonymous). */
    public Config withMqttAuth(String user, String password) {
        return with(b -> b.mqttUser(user).mqttPassword(password));
    }

    /** Publish to an external broker at {@code uri} ({@code null}: no bridge). */
    public Config withMqttBridge(String uri, String user, String password, String clientId, String prefix) {
        return with(b -> b.mqttBridge(uri).mqttBridgeUser(user).mqttBridgePassword(password)
                .mqttBridgeClientId(clientId).mqttBridgePrefix(prefix));
    }

    /** Whether this server follows a leader. */
    public boolean isFollower() {
        return follow != null;
    }

    /** A follower of the leader at {@code leaderUrl}, with the replication {@code secret}. */
    public Config withFollow(String leaderUrl, String secret) {
        return with(b -> b.follow(leaderUrl).replicationSecret(secret));
    }

    /** A mutable copy of a configuration, one setter per component; {@link Config#with} hands it out. */
    public static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private boolean verbose;
        private int mqttPort;
        private int mqttWsPort;
        private Duration mqttConnectTimeout;
        private int mqttMaxConnections;
        private int mqttMaxPublishRate;
        private Duration mqttSessionExpiry;
        private int changelogPartitions;
        private Duration changelogRetention;
        private Duration sseHeartbeat;
        private String mqttBridge;
        private String mqttBridgeUser;
        private String mqttBridgePassword;
        private String mqttBridgeClientId;
        private String mqttBridgePrefix;
        private long mqttBridgeMaxPacketSize;
        private String mqttUser;
        private String mqttPassword;
        private boolean sync;
        private Duration ttlInterval;
        private List<String> corsOrigins;
        private int maxConnections;
        private Duration requestHeaderTimeout;
        private Duration requestBodyTimeout;
        private Credentials auth;
        private ServerTls tls;
        private int mqttTlsPort;
        private String follow;
        private String replicationSecret;
        private Duration walRetention;
        private long cacheSize;

        private Builder() {
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder dataDir(Path value) {
            this.dataDir = value;
            return this;
        }

        public Builder verbose(boolean value) {
            this.verbose = value;
            return this;
        }

        public Builder mqttPort(int value) {
            this.mqttPort = value;
            return this;
        }

        public Builder mqttWsPort(int value) {
            this.mqttWsPort = value;
            return this;
        }

        public Builder mqttConnectTimeout(Duration value) {
            this.mqttConnectTimeout = value;
            return this;
        }

        public Builder mqttMaxConnections(int value) {
            this.mqttMaxConnections = value;
            return this;
        }

        public Builder mqttMaxPublishRate(int value) {
            this.mqttMaxPublishRate = value;
            return this;
        }

        public Builder mqttSessionExpiry(Duration value) {
            this.mqttSessionExpiry = value;
            return this;
        }

        public Builder changelogPartitions(int value) {
            this.changelogPartitions = value;
            return this;
        }

        public Builder changelogRetention(Duration value) {
            this.changelogRetention = value;
            return this;
        }

        public Builder sseHeartbeat(Duration value) {
            this.sseHeartbeat = value;
            return this;
        }

        public Builder mqttBridge(String value) {
            this.mqttBridge = value;
            return this;
        }

        public Builder mqttBridgeUser(String value) {
            this.mqttBridgeUser = value;
            return this;
        }

        public Builder mqttBridgePassword(String value) {
            this.mqttBridgePassword = value;
            return this;
        }

        public Builder mqttBridgeClientId(String value) {
            this.mqttBridgeClientId = value;
            return this;
        }

        public Builder mqttBridgeMaxPacketSize(long value) {
            this.mqttBridgeMaxPacketSize = value;
            return this;
        }

        public Builder mqttBridgePrefix(String value) {
            this.mqttBridgePrefix = value;
            return this;
        }

        public Builder mqttUser(String value) {
            this.mqttUser = value;
            return this;
        }

        public Builder mqttPassword(String value) {
            this.mqttPassword = value;
            return this;
        }

        public Builder sync(boolean value) {
            this.sync = value;
            return this;
        }

        public Builder ttlInterval(Duration value) {
            this.ttlInterval = value;
            return this;
        }

        public Builder corsOrigins(List<String> value) {
            this.corsOrigins = value;
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        public Builder requestHeaderTimeout(Duration value) {
            this.requestHeaderTimeout = value;
            return this;
        }

        public Builder requestBodyTimeout(Duration value) {
            this.requestBodyTimeout = value;
            return this;
        }

        public Builder auth(Credentials value) {
            this.auth = value;
            return this;
        }

        public Builder tls(ServerTls value) {
            this.tls = value;
            return this;
        }

        public Builder mqttTlsPort(int value) {
            this.mqttTlsPort = value;
            return this;
        }

        public Builder follow(String value) {
            this.follow = value;
            return this;
        }

        public Builder replicationSecret(String value) {
            this.replicationSecret = value;
            return this;
        }

        public Builder walRetention(Duration value) {
            this.walRetention = value;
            return this;
        }

        public Builder cacheSize(long value) {
            this.cacheSize = value;
            return this;
        }

        Config build() {
            return new Config(host, port, dataDir, verbose, mqttPort, mqttWsPort, mqttConnectTimeout,
                    mqttMaxConnections, mqttMaxPublishRate, mqttSessionExpiry, changelogPartitions, changelogRetention, sseHeartbeat,
                    mqttBridge, mqttBridgeUser, mqttBridgePassword, mqttBridgeClientId, mqttBridgePrefix,
                    mqttBridgeMaxPacketSize, mqttUser,
                    mqttPassword, sync, ttlInterval, corsOrigins, maxConnections, requestHeaderTimeout,
                    requestBodyTimeout, auth, tls, mqttTlsPort, follow, replicationSecret, walRetention, cacheSize);
        }
    }
}
