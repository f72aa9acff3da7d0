package io.jormundb.api.config;

import io.jormundb.engine.store.CacheSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flags, environment and defaults as DESIGN.md fixes them. */
class ConfigParserTest {
    private static Config parse(Map<String, String> env, String... args) {
        return ConfigParser.parse(args, env);
    }

    private static String reason(Map<String, String> env, String... args) {
        return assertThrows(ConfigException.class, () -> parse(env, args)).getMessage();
    }

    @Test
    void theDefaultsAreThoseOfTheDesign() {
        Config c = parse(Map.of());
        assertEquals("0.0.0.0", c.host());
        assertEquals(8002, c.port());
        assertEquals(Path.of("./data"), c.dataDir());
        assertFalse(c.verbose());
        assertEquals(1883, c.mqttPort());
        assertEquals(0, c.mqttWsPort());
        assertEquals(Duration.ofSeconds(10), c.mqttConnectTimeout());
        assertEquals(10_000, c.mqttMaxConnections());
        assertEquals(1_000, c.mqttMaxPublishRate());
        assertEquals(4, c.changelogPartitions());
        assertEquals(Duration.ofHours(24), c.changelogRetention());
        assertEquals(Duration.ofHours(24), c.mqttSessionExpiry());
        assertEquals(Duration.ofSeconds(15), c.sseHeartbeat());
        assertNull(c.mqttBridge());
        assertFalse(c.sync());
        assertEquals(Duration.ofSeconds(30), c.ttlInterval());
        assertNull(c.follow());
        assertFalse(c.isFollower());
        assertNull(c.replicationSecret());
        assertEquals(Duration.ofHours(1), c.walRetention());
    }

    @Test
    void aFollowerNamesItsLeaderByUrlAndNeedsTheReplicationSecretFromAFlagOrTheEnvironment() {
        Config c = parse(Map.of("JORMUN_REPLICATION_SECRET", "from-env"), "--follow", "http://10.0.0.5:8002/");
        assertTrue(c.isFollower());
        assertEquals("http://10.0.0.5:8002", c.follow());
        assertEquals("from-env", c.replicationSecret());
        assertEquals("https://leader", parse(Map.of("JORMUN_FOLLOW", "https://leader"), "--replication-secret", "x")
                .follow());
        assertEquals("--follow needs --replication-secret (JORMUN_REPLICATION_SECRET), the same as the leader's",
                reason(Map.of(), "--follow", "http://leader:8002"));
        assertEquals("--follow must be the leader's base URL, such as http://10.0.0.5:8002, not 'leader:8002'",
                reason(Map.of(), "--follow", "leader:8002", "--replication-secret", "x"));
        assertEquals(Duration.ofMinutes(30), parse(Map.of(), "--wal-retention", "30m").walRetention());
        assertEquals("--wal-retention must be more than zero",
                reason(Map.of(), "--wal-retention", "0s"));
    }

    @Test
    void theCacheSizeIsANumberWithAUnitOf1024AndDefaultsToAnEighthOfTheMachineAtMost1GB() {
        assertEquals(256L << 20, parse(Map.of(), "--cache-size", "256MB").cacheSize());
        assertEquals(1L << 30, parse(Map.of("JORMUN_CACHE_SIZE", "1gb")).cacheSize());
        assertEquals(65536L << 10, parse(Map.of(), "--cache-size=65536KB").cacheSize());
        long machine = CacheSize.machineBytes();
        assertEquals(Math.clamp(machine / 8, 16L << 20, 1L << 30), parse(Map.of()).cacheSize());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "256|--cache-size: '256' is not a size (a whole number and a unit: 512MB, 2GB)",
        "1.5GB|--cache-size: '1.5GB' is not a size (a whole number and a unit: 512MB, 2GB)",
        "-1GB|--cache-size: '-1GB' is not a size (a whole number and a unit: 512MB, 2GB)",
        "8MB|--cache-size must be at least 16MB, not 8MB",
        "0GB|--cache-size must be at least 16MB, not 0GB",
    })
    void aBadCacheSizeIsRefusedWithTheReason(String value, String reason) {
        assertEquals(reason, reason(Map.of(), "--cache-size", value));
    }

    @Test
    void aCacheSizeBeyondTheMachinesMemoryIsRefused() {
        String reason = reason(Map.of(), "--cache-size", "99999999999999999999TB");
        assertTrue(reason.startsWith("--cache-size 99999999999999999999TB is more than this machine's memory ("),
                reason);
        assertTrue(reason(Map.of(), "--cache-size", "1000000TB").endsWith("MB)"));
    }

    @Test
    void theTtlIntervalIsADurationAboveZero() {
        assertEquals(Duration.ofMillis(250), parse(Map.of(), "--ttl-interval", "250ms").ttlInterval());
        assertEquals(Duration.ofMinutes(2), parse(Map.of("JORMUN_TTL_INTERVAL", "2m")).ttlInterval());
        assertEquals("--ttl-interval must be more than zero", reason(Map.of(), "--ttl-interval", "0s"));
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheDefaults() {
        Map<String, String> env = Map.of("JORMUN_PORT", "9000", "JORMUN_DATA_DIR", "/env/data", "JORMUN_VERBOSE", "1");
        Config fromEnv = parse(env);
        assertEquals(9000, fromEnv.port());
        assertEquals(Path.of("/env/data"), fromEnv.dataDir());
        assertTrue(fromEnv.verbose());
        Config fromFlags = parse(env, "--port", "9100", "--data-dir=/flag/data");
        assertEquals(9100, fromFlags.port());
        assertEquals(Path.of("/flag/data"), fromFlags.dataDir());
    }

    @Test
    void aPersistentMqttSessionExpiresAfterTheChangelogRetentionUnlessToldOtherwise() {
        assertEquals(Duration.ofHours(2), parse(Map.of(), "--changelog-retention", "2h").mqttSessionExpiry());
        assertEquals(Duration.ofDays(7), parse(Map.of("JORMUN_CHANGELOG_RETENTION", "7d")).mqttSessionExpiry());
        assertEquals(Duration.ofMinutes(5), parse(Map.of("JORMUN_MQTT_SESSION_EXPIRY", "5m"), "--changelog-retention",
                "2h").mqttSessionExpiry());
        assertEquals(Duration.ofSeconds(30), parse(Map.of("JORMUN_MQTT_SESSION_EXPIRY", "5m"), "--mqtt-session-expiry",
                "30s").mqttSessionExpiry());
        assertEquals("--mqtt-session-expiry must be more than zero",
                reason(Map.of(), "--mqtt-session-expiry", "0s"));
    }

    @Test
    void theLastOfARepeatedFlagWins() {
        assertEquals(7, parse(Map.of(), "--port", "abc", "--port", "7").port());
        assertFalse(parse(Map.of(), "--verbose", "--verbose=false").verbose());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"500ms, PT0.5S", "2s, PT2S", "15m, PT15M", "24h, PT24H", "7d, PT168H"})
    void durationsAreANumberAndAUnit(String text, Duration expected) {
        assertEquals(expected, parse(Map.of(), "--changelog-retention", text).changelogRetention());
    }

    @Test
    void badValuesGiveAOneLineReason() {
        assertEquals("--port must be between 0 and 65535, not 65536", reason(Map.of(), "--port", "65536"));
        assertEquals("--port must be a whole number, not 'x'", reason(Map.of(), "--port", "x"));
        // A bad value from the environment is named as it was set; a flag beats it.
        assertEquals("JORMUN_PORT must be a whole number, not 'x'", reason(Map.of("JORMUN_PORT", "x")));
        assertEquals(1, parse(Map.of("JORMUN_PORT", "x"), "--port", "1").port());
        assertEquals("JORMUN_SSE_HEARTBEAT: '15' is not a duration (a number and a unit: 500ms, 2s, 15m, 24h, 7d)",
                reason(Map.of("JORMUN_SSE_HEARTBEAT", "15")));
        assertEquals("JORMUN_TTL_INTERVAL must be more than zero", reason(Map.of("JORMUN_TTL_INTERVAL", "0s")));
        assertEquals("JORMUN_CACHE_SIZE must be at least 16MB, not 8MB", reason(Map.of("JORMUN_CACHE_SIZE", "8MB")));
        assertEquals("JORMUN_MQTT_BRIDGE must look like tcp://host:port or ssl://host:port, not 'x'",
                reason(Map.of("JORMUN_MQTT_BRIDGE", "x")));
        assertEquals("--changelog-partitions must be between 1 and 1024, not 0",
                reason(Map.of(), "--changelog-partitions", "0"));
        assertEquals("--sse-heartbeat must be more than zero", reason(Map.of(), "--sse-heartbeat", "0s"));
        assertEquals("--sse-heartbeat: '15' is not a duration (a number and a unit: 500ms, 2s, 15m, 24h, 7d)",
                reason(Map.of(), "--sse-heartbeat", "15"));
        assertEquals("--mqtt-bridge must look like tcp://host:port or ssl://host:port, not 'http://x'",
                reason(Map.of(), "--mqtt-bridge", "http://x"));
        assertEquals("--mqtt-bridge must look like tcp://host:port or ssl://host:port, not 'tcp://h:99999' "
                + "(a port is 1 to 65535)", reason(Map.of(), "--mqtt-bridge", "tcp://h:99999"));
        assertEquals("--mqtt-bridge must look like tcp://host:port or ssl://host:port, not 'tcp://h:0' "
                + "(a port is 1 to 65535)", reason(Map.of(), "--mqtt-bridge", "tcp://h:0"));
        // A host name with an underscore, as Docker Compose names services, is taken as it is.
        assertEquals("tcp://my_broker:1883", parse(Map.of(), "--mqtt-bridge", "tcp://my_broker:1883").mqttBridge());
        assertEquals("--mqtt-bridge-prefix must not hold MQTT's wildcards + and #, not 'site/+'",
                reason(Map.of(), "--mqtt-bridge", "tcp://h:1883", "--mqtt-bridge-prefix", "site/+"));
        assertEquals("JORMUN_MQTT_BRIDGE_PREFIX must not hold MQTT's wildcards + and #, not '#'",
                reason(Map.of("JORMUN_MQTT_BRIDGE_PREFIX", "#"), "--mqtt-bridge", "tcp://h:1883"));
        assertEquals(100 * 1024, parse(Map.of(), "--mqtt-bridge-max-packet-size", "100KB").mqttBridgeMaxPacketSize());
        assertEquals(0, parse(Map.of()).mqttBridgeMaxPacketSize(), "MQTT's own limit");
        assertEquals("--mqtt-bridge-max-packet-size must be between 1KB and 256MB (MQTT's largest packet), not 1GB",
                reason(Map.of(), "--mqtt-bridge-max-packet-size", "1GB"));
        assertEquals("--mqtt-bridge-max-packet-size: '100000' is not a size (a whole number and a unit: 512MB, 2GB)",
                reason(Map.of(), "--mqtt-bridge-max-packet-size", "100000"));
        assertEquals("--mqtt-bridge-password needs --mqtt-bridge-user",
                reason(Map.of(), "--mqtt-bridge", "tcp://h:1883", "--mqtt-bridge-password", "p"));
        assertEquals("svc", parse(Map.of(), "--mqtt-bridge", "tcp://h:1883", "--mqtt-bridge-user", "svc")
                .mqttBridgeUser(), "a user name alone is an MQTT 3.1.1 login");
        assertEquals("--mqtt-max-connections must be between 1 and 1000000, not 0",
                reason(Map.of(), "--mqtt-max-connections", "0"));
        assertEquals("--mqtt-connect-timeout must be more than zero",
                reason(Map.of(), "--mqtt-connect-timeout", "0ms"));
        // A duration a timer in nanoseconds cannot hold would overflow once serving; beyond a number, at start.
        assertEquals("--sse-heartbeat: '107000d' is longer than the longest duration, 3650d",
                reason(Map.of(), "--sse-heartbeat", "107000d"));
        assertEquals("--request-body-timeout: '99999999999999999999d' is longer than the longest duration, 3650d",
                reason(Map.of(), "--request-body-timeout", "99999999999999999999d"));
        assertEquals("--ttl-interval: '9999999999999999d' is longer than the longest duration, 3650d",
                reason(Map.of(), "--ttl-interval", "9999999999999999d"));
        assertEquals(Duration.ofDays(3650), parse(Map.of(), "--changelog-retention", "3650d").changelogRetention());
        assertEquals("--mqtt-user needs --mqtt-password", reason(Map.of(), "--mqtt-user", "svc"));
        assertEquals("--mqtt-password needs --mqtt-user", reason(Map.of("JORMUN_MQTT_PASSWORD", "p")));
        assertEquals("svc", parse(Map.of(), "--mqtt-user", "svc", "--mqtt-password", "p").mqttUser());
        assertEquals("--mqtt-ws-port needs the embedded broker, which --mqtt-port 0 turns off",
                reason(Map.of(), "--mqtt-port", "0", "--mqtt-ws-port", "9001"));
        assertEquals("unknown flag --nope (see --help)", reason(Map.of(), "--nope"));
        assertEquals("unexpected argument 'serve' (flags start with --; see --help)", reason(Map.of(), "serve"));
        assertEquals("--data-dir needs a value", reason(Map.of(), "--data-dir"));
        for (String reason : new String[] {reason(Map.of(), "--port", "-1"), reason(Map.of(), "--nope")}) {
            assertFalse(reason.contains("\n"), reason);
        }
    }

    @Test
    void helpIsAskedForWithHelpOrH() {
        assertTrue(ConfigParser.wantsHelp(new String[] {"--port", "1", "--help"}));
        assertTrue(ConfigParser.wantsHelp(new String[] {"-h"}));
        assertFalse(ConfigParser.wantsHelp(new String[] {"--port", "1"}));
        String help = ConfigParser.help();
        for (String flag : new String[] {"--host", "--port", "--data-dir", "--verbose", "--mqtt-port", "--mqtt-ws-port",
                "--mqtt-connect-timeout", "--mqtt-max-connections", "--mqtt-session-expiry", "--sync", "--ttl-interval"}) {
            assertTrue(help.contains(flag + " ") || help.contains(flag + "\n"), flag);
        }
    }
}
