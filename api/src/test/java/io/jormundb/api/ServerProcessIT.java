package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar as a process: stopping, crashing, restarting, its flags and exit codes. */
class ServerProcessIT {
    /** A JVM stopped by SIGTERM exits with 128 + 15 after its shutdown hooks ran; 0 is as clean. */
    private static final Set<Integer> CLEAN_EXIT = Set.of(0, 143);

    @TempDir
    Path temp;

    private Path dataDir() {
        return temp.resolve("data");
    }

    /** Every item of a table by id, read with a paginated scan. */
    private static Map<String, String> allItems(DynamoDbClient client, String table) {
        Map<String, String> items = new HashMap<>();
        client.scanPaginator(r -> r.tableName(table)).items()
                .forEach(i -> items.put(i.get("id").s(), i.get("v").s()));
        return items;
    }

    @Test
    void sigtermClosesCleanlyAndARestartKeepsEveryItem() throws Exception {
        Map<String, String> written = new HashMap<>();
        try (JarServer first = JarServer.start(dataDir())) {
            createTable(first.client(), "Users");
            for (int i = 0; i < 50; i++) {
                String id = "u" + i;
                first.client().putItem(r -> r.tableName("Users").item(item("id", s(id), "v", s("value " + id))));
                written.put(id, "value " + id);
            }
            int exit = first.terminate();
            assertTrue(CLEAN_EXIT.contains(exit), "exit code " + exit + "\n" + first.log());
            assertTrue(first.log().contains("closed cleanly"), first.log());
        }
        try (JarServer second = JarServer.start(dataDir())) {
            assertEquals(written, allItems(second.client(), "Users"));
            assertEquals(50L, second.client().describeTable(r -> r.tableName("Users")).table().itemCount());
        }
    }

    /**
     * Writers keep putting while the server is killed with SIGKILL. Allowed after the restart: an
     * item whose put was in flight (never acknowledged) is there or not. Forbidden: an
     * acknowledged item missing or different.
     */
    @Test
    void killMinus9WhileWritingLosesNoAcknowledgedItem() throws Exception {
        int writers = 4;
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        try (JarServer server = JarServer.start(dataDir())) {
            createTable(server.client(), "Log");
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "w" + writer + "-" + i;
                        String value = "payload of " + id + " " + "x".repeat(i % 300);
                        try {
                            server.client().putItem(r -> r.tableName("Log").item(item("id", s(id), "v", s(value))));
                        } catch (SdkException e) {
                            return; // the server died under this request: not acknowledged
                        }
                        acknowledged.put(id, value);
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1000);
            server.kill();
            stop.set(true);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(60));
            }
        }
        Map<String, String> ackedAtKill = Map.copyOf(acknowledged);
        try (JarServer restarted = JarServer.start(dataDir())) {
            Map<String, String> stored = allItems(restarted.client(), "Log");
            for (Map.Entry<String, String> e : ackedAtKill.entrySet()) {
                assertEquals(e.getValue(), stored.get(e.getKey()), "acknowledged item " + e.getKey());
            }
            assertTrue(stored.size() - ackedAtKill.size() <= writers,
                    (stored.size() - ackedAtKill.size()) + " unacknowledged items, more than one in flight per writer");
            assertEquals(stored.size(),
                    restarted.client().describeTable(r -> r.tableName("Log")).table().itemCount());
        }
    }

    @Test
    void aKilledServerLeavesNoCopyOfTheNativeLibraryBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = nativeLibraryCopies(tmp);
        for (int i = 0; i < 3; i++) {
            try (JarServer server = JarServer.start(temp.resolve("native-" + i))) {
                server.client().listTables();
                assertEquals(137, server.kill());
            }
        }
        assertEquals(before, nativeLibraryCopies(tmp), "librocksdbjni copies in " + tmp);
        try (Stream<Path> stable = Files.list(tmp)) {
            assertTrue(stable.anyMatch(p -> p.getFileName().toString().startsWith("jormundb-rocksdbjni-")),
                    "the one reused copy lives in jormundb-rocksdbjni-<crc>-<size>");
        }
    }

    /** The per-process copies RocksDB's own loader makes: librocksdbjni*.so directly in the temp directory. */
    private static Set<Path> nativeLibraryCopies(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("librocksdbjni")).collect(Collectors.toSet());
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirRefusesToStartAndSaysWhy() throws Exception {
        try (JarServer first = JarServer.start(dataDir())) {
            JarServer.Result second = JarServer.run(JarServer.command("--host", "127.0.0.1", "--port", "0",
                    "--mqtt-port", "0", "--data-dir", dataDir().toAbsolutePath().toString()), Map.of(), temp);
            assertNotEquals(0, second.exitCode());
            String reason = second.stderrLines().getFirst();
            assertTrue(reason.startsWith("jormundb: data directory " + dataDir().toAbsolutePath()
                    + " is in use by another JormunDB server"), second.stderr());
            assertEquals(200, first.wire().post("ListTables", "{}").status(), "the first server still serves");
        }
    }

    @Test
    void helpListsTheFlagsWithTheirDefaultsAndExitsZero() {
        JarServer.Result help = JarServer.run(JarServer.command("--help"), Map.of(), temp);
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("Usage: java -jar jormundb.jar [flags]"), help.stdout());
        for (String expected : List.of("--host <value>", "(default 0.0.0.0)", "[JORMUN_HOST]",
                "--port <value>", "(default 8002)", "[JORMUN_PORT]",
                "--data-dir <value>", "(default ./data)", "[JORMUN_DATA_DIR]",
                "--verbose", "[JORMUN_VERBOSE]", "--help")) {
            assertTrue(help.stdout().contains(expected), () -> "no '" + expected + "' in:\n" + help.stdout());
        }
    }

    @Test
    void versionPrintsTheBuildsVersionAndExitsZero() throws Exception {
        JarServer.Result version = JarServer.run(JarServer.command("--version"), Map.of(), temp);
        assertEquals(0, version.exitCode(), version.stderr());
        String expected = new String(ServerProcessIT.class.getResourceAsStream("/io/jormundb/api/version.properties")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("(?s).*version=(\\S+).*", "$1");
        assertTrue(expected.matches("\\d+\\.\\d+\\.\\d+.*"), expected);
        assertEquals("jormundb " + expected + "\n", version.stdout());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(List.of("--port", "70000"), Map.of(),
                        "jormundb: --port must be between 0 and 65535, not 70000"),
                Arguments.of(List.of("--port", "abc"), Map.of(), "jormundb: --port must be a whole number, not 'abc'"),
                Arguments.of(List.of(), Map.of("JORMUN_PORT", "abc"),
                        "jormundb: JORMUN_PORT must be a whole number, not 'abc'"),
                Arguments.of(List.of("--port"), Map.of(), "jormundb: --port needs a value"),
                Arguments.of(List.of("--bogus", "1"), Map.of(), "jormundb: unknown flag --bogus (see --help)"),
                Arguments.of(List.of("--verbose=maybe"), Map.of(),
                        "jormundb: --verbose (JORMUN_VERBOSE) must be true or false, not 'maybe'"),
                Arguments.of(List.of("--changelog-retention", "5x"), Map.of(), "jormundb: --changelog-retention: "
                        + "'5x' is not a duration (a number and a unit: 500ms, 2s, 15m, 24h, 7d)"),
                Arguments.of(List.of("--host", "nosuchhost.invalid", "--port", "0", "--mqtt-port", "0"), Map.of(),
                        "jormundb: cannot listen on nosuchhost.invalid:0 (--host): no address of this machine has "
                        + "that name"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badValues")
    void aBadValueExitsNonZeroWithAOneLineReason(List<String> args, Map<String, String> env, String reason) {
        JarServer.Result result = JarServer.run(JarServer.command(args.toArray(String[]::new)), env, temp);
        assertNotEquals(0, result.exitCode());
        assertEquals(List.of(reason), result.stderrLines());
        assertEquals("", result.stdout());
    }

    @Test
    void flagsBeatTheEnvironmentAndTheLastOfARepeatedFlagWins() throws Exception {
        try (JarServer server = JarServer.start(dataDir(), Map.of("JORMUN_PORT", "not-a-port", "JORMUN_VERBOSE", "1"),
                "--port", "not-a-port-either", "--port", "0")) {
            assertEquals(200, server.wire().post("ListTables", "{}").status());
        }
    }
}
