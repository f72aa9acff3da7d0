package io.jormundb.api.config;

import io.jormundb.api.auth.Credentials;
import io.jormundb.api.http.Cors;
import io.jormundb.api.tls.ServerTls;
import io.jormundb.broker.topic.MqttTopics;
import io.jormundb.engine.store.CacheSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns command-line flags and environment variables into a {@link Config}: flags beat the
 * environment ({@code --some-flag} ↔ {@code JORMUN_SOME_FLAG}), which beats the defaults; a flag
 * given twice takes its last value. A bad value is a {@link ConfigException} with a one-line reason.
 */
public final class ConfigParser {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    /** The longest duration a flag takes. */
    static final Duration MAX_DURATION = Duration.ofDays(3650);
    private static final Pattern SIZE = Pattern.compile("(\\d+)(KB|MB|GB|TB)", Pattern.CASE_INSENSITIVE);

    /** One flag: its name, whether it takes a value, its default and its help text. */
    private record Flag(String name, boolean takesValue, String defaultValue, String help) {
        String env() {
            return "JORMUN_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    private static final List<Flag> FLAGS = List.of(
            new Flag("host", true, "0.0.0.0", "address to listen on (HTTP and MQTT)"),
            new Flag("port", true, "8002", "HTTP port (DynamoDB API, SSE, health, metrics, console)"),
            new Flag("data-dir", true, "./data", "directory for all data (RocksDB, broker state)"),
            new Flag("verbose", false, "false", "log debug details"),
            new Flag("mqtt-port", true, "1883", "embedded MQTT broker port; 0 = no embedded broker"),
            new Flag("mqtt-ws-port", true, "0", "MQTT over WebSockets port (path /mqtt); 0 = off"),
            new Flag("mqtt-connect-timeout", true, "10s", "time an MQTT client has to send its CONNECT"),
            new Flag("mqtt-max-connections", true, "10000", "MQTT client connections open at most"),
            new Flag("mqtt-max-publish-rate", true, "1000",
                    "PUBLISH packets a second one MQTT client connection may send (0: no limit)"),
            new Flag("mqtt-session-expiry", true, null,
                    "offline time after which a persistent MQTT session is removed (default: the changelog retention)"),
            new Flag("changelog-partitions", true, "4", "changelog partitions of tables created from now on"),
            new Flag("changelog-retention", true, "24h", "how long change records are kept"),
            new Flag("sse-heartbeat", true, "15s", "interval of SSE heartbeat comments"),
            new Flag("mqtt-bridge", true, null, "external MQTT broker to publish to (tcp://host:port or ssl://…)"),
            new Flag("mqtt-bridge-user", true, null, "user name for the external broker"),
            new Flag("mqtt-bridge-password", true, null, "password for the external broker"),
            new Flag("mqtt-bridge-client-id", true, "jormundb-bridge", "client id at the external broker"),
            new Flag("mqtt-bridge-prefix", true, "", "topic prefix at the external broker"),
            new Flag("mqtt-bridge-max-packet-size", true, null, "largest MQTT packet the external broker takes "
                    + "(e.g. 128KB); a larger message is skipped with an error (default: MQTT's limit, 256MB)"),
            new Flag("mqtt-user", true, null, "require this user name from MQTT clients"),
            new Flag("mqtt-password", true, null, "require this password from MQTT clients"),
            new Flag("sync", false, "false", "fsync the write-ahead log on every write"),
            new Flag("cache-size", true, null, "memory for RocksDB's block cache and write buffers together "
                    + "(256MB, 2GB; default an eighth of the machine's memory, at most 1GB)"),
            new Flag("ttl-interval", true, "30s", "how often expired items (TTL) are deleted"),
            new Flag("cors-origins", true, "*", "origins browsers may call from, comma-separated (* for any)"),
            new Flag("max-connections", true, "10000", "HTTP connections open at most (more wait for one to close)"),
            new Flag("request-header-timeout", true, "30s", "time a request's headers have to arrive"),
            new Flag("request-body-timeout", true, "60s", "time a request's body has to arrive after its headers"),
            new Flag("auth", true, null, "credentials file (JSON): access keys that must sign every request, "
                    + "and log in to MQTT (see docs/security.md)"),
            new Flag("tls-cert", true, null, "PEM certificate chain: serve HTTPS, WSS and --mqtt-tls-port with it"),
            new Flag("tls-key", true, null, "PEM private key (PKCS#8 or PKCS#1) of --tls-cert"),
            new Flag("mqtt-tls-port", true, "0", "MQTT over TLS port (needs --tls-cert); 0 = off"),
            new Flag("follow", true, null, "follow the leader at this URL (http://host:port): a read-only replica"),
            new Flag("replication-secret", true, null,
                    "shared secret of leader and followers; the replication endpoints are closed without it"),
            new Flag("wal-retention", true, "1h", "how long a leader keeps its write-ahead log for followers"));

    private ConfigParser() {
    }

    /** Whether {@code args} ask for help. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code args} ask for the version. */
    public static boolean wantsVersion(String[] args) {
        for (String a : args) {
            if (a.equals("--version")) {
                return true;
            }
        }
        return false;
    }

    public static String help() {
        StringBuilder b = new StringBuilder("Usage: java -jar jormundb.jar [flags]\n\n"
                + "Each flag can also be set as an environment variable (--some-flag = JORMUN_SOME_FLAG);\n"
                + "flags beat the environment, which beats the defaults. Durations: 500ms, 2s, 15m, 24h, 7d.\n\n");
        for (Flag f : FLAGS) {
            String left = "  --" + f.name() + (f.takesValue() ? " <value>" : "");
            b.append(String.format("%-34s %s%s [%s]%n", left, f.help(),
                    f.defaultValue() == null || f.defaultValue().isEmpty() ? "" : " (default " + f.defaultValue() + ")",
                    f.env()));
        }
        b.append(String.format("%-34s %s%n", "  --help", "print this help and exit"));
        b.append(String.format("%-34s %s%n", "  --version", "print the version and exit"));
        return b.toString();
    }

    public static Config parse(String[] args, Map<String, String> env) {
        Values values = new Values();
        for (Flag f : FLAGS) {
            values.put(f.name(), f.defaultValue());
            String fromEnv = env.get(f.env());
            if (fromEnv != null) {
                values.putFromEnvironment(f, f.takesValue() ? fromEnv : String.valueOf(truthy(f, fromEnv)));
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "' (flags start with --; see --help)");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag flag = find(name);
            if (!flag.takesValue()) {
                values.put(name, inline == null ? "true" : String.valueOf(truthy(flag, inline)));
                continue;
            }
            if (inline == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException("--" + name + " needs a value");
                }
                inline = args[++i];
            }
            values.put(name, inline);
        }
        return Config.builder()
                .host(values.get("host"))
                .port(intRange(values, "port", 0, 65535))
                .dataDir(Path.of(values.get("data-dir")))
                .verbose(Boolean.parseBoolean(values.get("verbose")))
                .mqttPort(intRange(values, "mqtt-port", 0, 65535))
                .mqttWsPort(mqttWsPort(values))
                .mqttConnectTimeout(duration(values, "mqtt-connect-timeout"))
                .mqttMaxConnections(intRange(values, "mqtt-max-connections", 1, 1_000_000))
                .mqttMaxPublishRate(intRange(values, "mqtt-max-publish-rate", 0, 1_000_000))
                .mqttSessionExpiry(values.get("mqtt-session-expiry") == null ? duration(values, "changelog-retention")
                        : duration(values, "mqtt-session-expiry"))
                .changelogPartitions(intRange(values, "changelog-partitions", 1, 1024))
                .changelogRetention(duration(values, "changelog-retention"))
                .sseHeartbeat(duration(values, "sse-heartbeat"))
                .mqttBridge(uri(values))
                .mqttBridgeUser(values.get("mqtt-bridge-user"))
                .mqttBridgePassword(bridgePassword(values))
                .mqttBridgeClientId(values.get("mqtt-bridge-client-id"))
                .mqttBridgePrefix(bridgePrefix(values))
                .mqttBridgeMaxPacketSize(bridgeMaxPacketSize(values))
                .mqttUser(mqttLogin(values, "mqtt-user", "mqtt-password"))
                .mqttPassword(mqttLogin(values, "mqtt-password", "mqtt-user"))
                .sync(Boolean.parseBoolean(values.get("sync")))
                .ttlInterval(duration(values, "ttl-interval"))
                .corsOrigins(origins(values))
                .maxConnections(intRange(values, "max-connections", 1, 1_000_000))
                .requestHeaderTimeout(duration(values, "request-header-timeout"))
                .requestBodyTimeout(duration(values, "request-body-timeout"))
                .auth(values.get("auth") == null || values.get("auth").isBlank() ? null
                        : Credentials.load(Path.of(values.get("auth"))))
                .tls(tls(values))
                .mqttTlsPort(mqttTlsPort(values))
                .follow(leaderUrl(values))
                .replicationSecret(blankToNull(values.get("replication-secret")))
                .walRetention(duration(values, "wal-retention"))
                .cacheSize(cacheSize(values))
                .build();
    }

    /**
     * {@code --mqtt-user} and {@code --mqtt-password} go together: a login without a password
     * would let anyone in under that name.
     */
    private static String mqttLogin(Values values, String flag, String other) {
        String value = blankToNull(values.get(flag));
        if (value != null && blankToNull(values.get(other)) == null) {
            throw new ConfigException("--" + flag + " needs --" + other);
        }
        return value;
    }

    /** {@code --tls-cert} and {@code --tls-key} go together. */
    private static ServerTls tls(Values values) {
        String cert = blankToNull(values.get("tls-cert"));
        String key = blankToNull(values.get("tls-key"));
        if ((cert == null) != (key == null)) {
            throw new ConfigException(cert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        return cert == null ? null : ServerTls.load(Path.of(cert), Path.of(key));
    }

    /** MQTT over TLS is a listener of the embedded broker with the server's certificate. */
    private static int mqttTlsPort(Values values) {
        int port = intRange(values, "mqtt-tls-port", 0, 65535);
        if (port != 0 && blankToNull(values.get("tls-cert")) == null) {
            throw new ConfigException("--mqtt-tls-port needs --tls-cert and --tls-key");
        }
        if (port != 0 && intRange(values, "mqtt-port", 0, 65535) == 0) {
            throw new ConfigException("--mqtt-tls-port needs the embedded broker, which --mqtt-port 0 turns off");
        }
        return port;
    }

    /** A follower needs the leader's base URL and the secret the leader holds. */
    private static String leaderUrl(Values values) {
        String url = blankToNull(values.get("follow"));
        if (url == null) {
            return null;
        }
        if (!url.matches("https?://[^/?#\\s]+(:\\d+)?/?")) {
            throw new ConfigException(values.label("follow") + " must be the leader's base URL, such as http://10.0.0.5:8002, not '"
                    + url + "'");
        }
        if (blankToNull(values.get("replication-secret")) == null) {
            throw new ConfigException("--follow needs --replication-secret (JORMUN_REPLICATION_SECRET), the same as "
                    + "the leader's");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** MQTT over WebSockets is a listener of the embedded broker, so it needs the broker on. */
    private static int mqttWsPort(Values values) {
        int port = intRange(values, "mqtt-ws-port", 0, 65535);
        if (port != 0 && intRange(values, "mqtt-port", 0, 65535) == 0) {
            throw new ConfigException("--mqtt-ws-port needs the embedded broker, which --mqtt-port 0 turns off");
        }
        return port;
    }

    private static List<String> origins(Values values) {
        List<String> origins = new java.util.ArrayList<>();
        for (String origin : values.get("cors-origins").split(",")) {
            String o = origin.trim();
            if (!Cors.validOrigin(o)) {
                throw new ConfigException(values.label("cors-origins") + " must be * or origins such as https://app.example.com, not '"
                        + o + "'");
            }
            origins.add(o);
        }
        return origins;
    }

    private static Flag find(String name) {
        for (Flag f : FLAGS) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new ConfigException("unknown flag --" + name + " (see --help)");
    }

    private static boolean truthy(Flag f, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off", "" -> false;
            default -> throw new ConfigException("--" + f.name() + " (" + f.env() + ") must be true or false, not '"
                    + value + "'");
        };
    }

    private static int intRange(Values values, String name, int min, int max) {
        String v = values.get(name);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new ConfigException(values.label(name) + " must be between " + min + " and " + max + ", not " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(values.label(name) + " must be a whole number, not '" + v + "'");
        }
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 15m}, {@code 24h}, {@code 7d}. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException("'" + text + "' is not a duration (a number and a unit: 500ms, 2s, 15m, 24h, 7d)");
        }
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (NumberFormatException | ArithmeticException tooLong) {
            d = MAX_DURATION.plusDays(1);
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            // Beyond what a deadline in nanoseconds can hold (~292 years), a timer overflows; ten years is plenty.
            throw new ConfigException("'" + text.trim() + "' is longer than the longest duration, "
                    + MAX_DURATION.toDays() + "d");
        }
        return d;
    }

    private static Duration duration(Values values, String name) {
        Duration d;
        try {
            d = parseDuration(values.get(name));
        } catch (ConfigException e) {
            throw new ConfigException(values.label(name) + ": " + e.getMessage());
        }
        if (d.isZero()) {
            throw new ConfigException(values.label(name) + " must be more than zero");
        }
        return d;
    }

    /** {@code --cache-size}: at least the store's minimum, at most the machine's memory. */
    private static long cacheSize(Values values) {
        String value = values.get("cache-size");
        if (value == null || value.isBlank()) {
            return CacheSize.defaultBytes();
        }
        String label = values.label("cache-size");
        long bytes = size(label, value);
        if (bytes < CacheSize.MIN_BYTES) {
            throw new ConfigException(label + " must be at least " + (CacheSize.MIN_BYTES >> 20) + "MB, not "
                    + value.trim());
        }
        long machine = CacheSize.machineBytes();
        if (bytes > machine) {
            throw new ConfigException(label + " " + value.trim() + " is more than this machine's memory ("
                    + (machine >> 20) + "MB)");
        }
        return bytes;
    }

    /**
     * Parses {@code 512KB}, {@code 256MB}, {@code 2GB}, {@code 1TB} (units of 1024, as for
     * {@code -Xmx}); a size beyond a {@code long} is {@code Long.MAX_VALUE}, more than any machine has.
     */
    private static long size(String label, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(label + ": '" + text + "' is not a size (a whole number and a unit: 512MB, "
                    + "2GB)");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            default -> 40;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String uri(Values values) {
        String value = values.get("mqtt-bridge");
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = BRIDGE.matcher(value);
        String form = values.label("mqtt-bridge") + " must look like tcp://host:port or ssl://host:port, not '"
                + value + "'";
        if (!m.matches()) {
            throw new ConfigException(form);
        }
        int port = m.group(1) == null ? 1 : m.group(1).length() > 5 ? 0 : Integer.parseInt(m.group(1));
        if (port < 1 || port > 65535) {
            throw new ConfigException(form + " (a port is 1 to 65535)");
        }
        return value;
    }

    /** A password at the external broker goes with a user name there (MQTT 3.1.1 sends none without one). */
    private static String bridgePassword(Values values) {
        String password = values.get("mqtt-bridge-password");
        if (password != null && values.get("mqtt-bridge-user") == null) {
            throw new ConfigException("--mqtt-bridge-password needs --mqtt-bridge-user");
        }
        return password;
    }

    /** {@code --mqtt-bridge-max-packet-size}: from 1KB to MQTT's own limit; {@code 0} when not set. */
    private static long bridgeMaxPacketSize(Values values) {
        String value = values.get("mqtt-bridge-max-packet-size");
        if (value == null || value.isBlank()) {
            return 0;
        }
        String label = values.label("mqtt-bridge-max-packet-size");
        long bytes = size(label, value);
        if (bytes < 1024 || bytes > MqttTopics.MAX_PACKET_BYTES) {
            throw new ConfigException(label + " must be between 1KB and 256MB (MQTT's largest packet), not "
                    + value.trim());
        }
        return bytes;
    }

    /** The prefix goes into topic names, which may not hold wildcards. */
    private static String bridgePrefix(Values values) {
        String prefix = values.get("mqtt-bridge-prefix");
        if (prefix != null && (prefix.contains("+") || prefix.contains("#"))) {
            throw new ConfigException(values.label("mqtt-bridge-prefix") + " must not hold MQTT's wildcards + and #, "
                    + "not '" + prefix + "'");
        }
        return prefix;
    }

    /** The value each flag takes, and whether the environment gave it, so a message names what was set. */
    /** tcp:// or ssl://, a host name (underscores as Docker Compose gives them included) or IPv4 address, a port. */
    private static final Pattern BRIDGE = Pattern.compile("(?:tcp|ssl)://[A-Za-z0-9_.-]+(?::(\\d+))?");

    private static final class Values {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Set<String> fromEnvironment = new HashSet<>();

        String get(String name) {
            return values.get(name);
        }

        void put(String name, String value) {
            values.put(name, value);
            fromEnvironment.remove(name);
        }

        void putFromEnvironment(Flag flag, String value) {
            values.put(flag.name(), value);
            fromEnvironment.add(flag.name());
        }

        /** {@code --some-flag}, or {@code JORMUN_SOME_FLAG} when the value came from the environment. */
        String label(String name) {
            return fromEnvironment.contains(name) ? find(name).env() : "--" + name;
        }
    }
}
