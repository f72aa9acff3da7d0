package io.jormundb.api.replication;

import io.jormundb.api.JarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.replication.ReplicationTest.scanAll;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kill -9 a follower (the packaged jar, a process of its own) while four clients write to its
 * leader, restart it on the same data directory: it resumes from the place it recorded with its
 * last applied batch and ends up with exactly the leader's items, item by item.
 */
class FollowerCrashIT {
    private static final String SECRET = "crash-test-secret";
    private static final int WRITERS = 4;

    @TempDir
    Path temp;

    @Test
    void aFollowerKilledUnderWriteLoadCatchesUpExactlyAfterARestart() throws Exception {
        assumeTrue(System.getProperty("jormundb.jar") != null, "runs under failsafe, which packages the jar first");
        Path followerDir = temp.resolve("follower");
        try (JarServer leader = JarServer.start(temp.resolve("leader"), Map.of("JORMUN_REPLICATION_SECRET", SECRET))) {
            DynamoDbClient db = leader.client();
            String table = createTable(db, "Crash");
            String[] follow = {"--follow", leader.endpoint().toString(), "--replication-secret", SECRET};
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            CompletableFuture<Void> writers = CompletableFuture.allOf(IntStream.range(0, WRITERS)
                    .mapToObj(w -> CompletableFuture.runAsync(() -> write(db, table, w, writing, written)))
                    .toArray(CompletableFuture[]::new));
            try {
                try (JarServer follower = JarServer.start(followerDir, Map.of(), follow)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> follower.client()
                            .scan(r -> r.tableName(table)).count() >= 40);
                    assertEquals(137, follower.kill());
                }
                int atKill = written.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= atKill + 200);
                try (JarServer follower = JarServer.start(followerDir, Map.of(), follow)) {
                    int atRestart = written.get();
                    await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= atRestart + 200);
                    writing.set(false);
                    writers.join();
                    await().atMost(Duration.ofSeconds(30)).until(() -> follower.wire().get("/health").json()
                            .path("lag").asLong() == 0 && caughtUp(leader, follower));
                    List<Map<String, AttributeValue>> expected = sorted(scanAll(db, table));
                    assertEquals(expected, sorted(scanAll(follower.client(), table)));
                    assertEquals(expected.size(), (long) follower.client().describeTable(r -> r.tableName(table))
                            .table().itemCount());
                    assertTrue(follower.log().contains("following " + leader.endpoint() + " from sequence"),
                            follower.log());
                    assertFalse(follower.log().contains("bootstrap: copying"),
                            "it resumed from its recorded place, without a new copy:\n" + follower.log());
                }
            } finally {
                writing.set(false);
                writers.join();
            }
        }
    }

    /** Whether the follower's commit frontier reached the leader's. */
    private static boolean caughtUp(JarServer leader, JarServer follower) throws Exception {
        return commitVersion(leader).equals(commitVersion(follower));
    }

    private static String commitVersion(JarServer server) throws Exception {
        return server.get("/metrics").lines().filter(l -> l.startsWith("jormundb_commit_version ")).findFirst()
                .orElseThrow();
    }

    private static void write(DynamoDbClient db, String table, int writer, AtomicBoolean writing,
                              AtomicInteger written) {
        for (int n = 0; writing.get(); n++) {
            int i = n;
            String key = "w" + writer + "-" + (n % 50);
            if (n % 9 == 8) {
                db.deleteItem(r -> r.tableName(table).key(item("id", s(key))));
            } else {
                db.putItem(r -> r.tableName(table).item(item("id", s(key), "n", n(i))));
            }
            written.incrementAndGet();
        }
    }

    private static List<Map<String, AttributeValue>> sorted(List<Map<String, AttributeValue>> items) {
        return items.stream().sorted(Comparator.comparing(i -> i.get("id").s())).toList();
    }
}
