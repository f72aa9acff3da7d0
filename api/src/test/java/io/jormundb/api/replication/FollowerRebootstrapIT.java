package io.jormundb.api.replication;

import io.jormundb.api.FreePort;
import io.jormundb.api.JarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged jar as a follower whose leader is replaced by another database at the same
 * address: the new leader refuses the follower's place, and the process restarts itself, on the
 * same ports, on a copy of the new leader — nobody restarts it.
 */
class FollowerRebootstrapIT {
    private static final Map<String, String> SECRET = Map.of("JORMUN_REPLICATION_SECRET", "rebootstrap-secret");

    @TempDir
    Path temp;

    @Test
    void aFollowerWhoseLeaderNoLongerServesItsPlaceRestartsItselfOnACopyOfTheLeader() throws Exception {
        assumeTrue(System.getProperty("jormundb.jar") != null, "runs under failsafe, which packages the jar first");
        String leaderPort = String.valueOf(FreePort.find());
        JarServer old = JarServer.start(temp.resolve("old"), SECRET, "--port", leaderPort);
        try (JarServer follower = JarServer.start(temp.resolve("follower"), SECRET, "--port",
                String.valueOf(FreePort.find()), "--follow", "http://127.0.0.1:" + leaderPort)) {
            try {
                String table = createTable(old.client(), "OldOnly");
                old.client().putItem(r -> r.tableName(table).item(item("id", s("a"))));
                await().atMost(Duration.ofSeconds(30)).until(() -> follower.client().listTables().tableNames()
                        .contains(table));
            } finally {
                old.kill();
                old.close();
            }
            try (JarServer replacement = JarServer.start(temp.resolve("new"), SECRET, "--port", leaderPort)) {
                String table = createTable(replacement.client(), "NewOnly");
                replacement.client().putItem(r -> r.tableName(table).item(item("id", s("b"))));
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> follower.client()
                        .scan(r -> r.tableName(table)).count() == 1);
                assertEquals(List.of("NewOnly"), follower.client().listTables().tableNames());
                assertTrue(follower.log().contains("restarting on a fresh checkpoint of the leader"), follower.log());
            }
        }
    }
}
