package io.jormundb.api.replication;

import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import io.jormundb.api.config.Config;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.replication.ReplicationTest.SECRET;
import static io.jormundb.api.replication.ReplicationTest.scanAll;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Followers across leader restarts: with the log kept, a follower reconnects and goes on; with it
 * trimmed, a new follower and one that was away both copy a checkpoint, the one that was away
 * keeping its node id, and then follow the log; a follower promoted to leader is copied by the
 * others, whose places name the old leader's log.
 */
class BootstrapTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aFollowerStartedAfterTheLeadersWalWasTrimmedBootstrapsFromACheckpointAndFollowsOn() throws Exception {
        int leaderPort = FreePort.find();
        // No WAL retention: a restart of the leader drops every log file it flushed.
        UnaryOperator<Config> leaderConfig = cfg -> cfg.with(b -> b.port(leaderPort).replicationSecret(SECRET)
                .walRetention(Duration.ZERO));
        UnaryOperator<Config> followerConfig = cfg -> cfg.withFollow("http://127.0.0.1:" + leaderPort, SECRET);
        try (TestServer leader = TestServer.start(leaderConfig);
             TestServer away = TestServer.start(followerConfig)) {
            String table = createTable(leader.client(), "Trimmed");
            put(leader.client(), table, 0, 10);
            await().atMost(WAIT).ignoreExceptions().until(() -> away.client().scan(r -> r.tableName(table)).count() == 10);
            String node = away.wire().get("/health").json().path("node").asText();

            away.restart(() -> {
                put(leader.client(), table, 10, 20);
                leader.restart();
                put(leader.client(), table, 20, 30);
            });
            away.server().rebootstrapRequested().get(20, TimeUnit.SECONDS);
            DynamoDbClient db = leader.client();
            away.restart();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(scanAll(db, table), scanAll(away.client(), table)));
            assertEquals(30, scanAll(away.client(), table).size());
            assertEquals(node, away.wire().get("/health").json().path("node").asText(),
                    "a re-bootstrap keeps the follower's node-local state");

            try (TestServer fresh = TestServer.start(followerConfig)) {
                assertEquals(scanAll(db, table), scanAll(fresh.client(), table), "bootstrapped with everything");
                put(db, table, 30, 35);
                await().atMost(WAIT).ignoreExceptions().until(() -> scanAll(fresh.client(), table).size() == 35);
                await().atMost(WAIT).ignoreExceptions().until(() -> scanAll(away.client(), table).size() == 35);
                assertFalse(fresh.server().rebootstrapRequested().isDone());
            }
        }
    }

    @Test
    void aCrashBetweenTheInstallsTwoMovesIsFinishedAtTheNextStartKeepingTheNodeLocalState() {
        int leaderPort = FreePort.find();
        try (TestServer leader = TestServer.start(cfg -> cfg.with(b -> b.port(leaderPort).replicationSecret(SECRET)));
             TestServer follower = TestServer.start(cfg -> cfg.withFollow("http://127.0.0.1:" + leaderPort, SECRET))) {
            String table = createTable(leader.client(), "Installed");
            put(leader.client(), table, 0, 5);
            await().atMost(WAIT).ignoreExceptions().until(() -> scanAll(follower.client(), table).size() == 5);
            String node = follower.wire().get("/health").json().path("node").asText();
            Path replication = follower.dataDir().resolve("replication");
            // What a crash leaves between the install's moves: the received database complete in
            // the staging place (this node's state already written into it), the old one moved aside.
            follower.restart(() -> {
                TestServer.copyDirectory(follower.dataDir().resolve("db"), replication.resolve("bootstrap").resolve("db"));
                moveDirectory(follower.dataDir().resolve("db"), replication.resolve("replaced"));
            });
            assertEquals(node, follower.wire().get("/health").json().path("node").asText(),
                    "the installed copy is put in place with this node's state, not copied again as a new node");
            put(leader.client(), table, 5, 8);
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(scanAll(leader.client(), table),
                    scanAll(follower.client(), table)));
            assertFalse(Files.exists(replication.resolve("replaced")), "the database moved aside is deleted");
            assertFalse(Files.exists(replication.resolve("bootstrap")), "the staging place is deleted");
        }
    }

    @Test
    void aFollowerRidesOutALeaderRestartWithoutANewCopy() {
        int leaderPort = FreePort.find();
        try (TestServer leader = TestServer.start(cfg -> cfg.with(b -> b.port(leaderPort).replicationSecret(SECRET)));
             TestServer follower = TestServer.start(cfg -> cfg.withFollow("http://127.0.0.1:" + leaderPort, SECRET))) {
            String table = createTable(leader.client(), "Restarted");
            put(leader.client(), table, 0, 5);
            await().atMost(WAIT).ignoreExceptions().until(() -> follower.client().scan(r -> r.tableName(table)).count() == 5);
            leader.restart();
            put(leader.client(), table, 5, 10);
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(scanAll(leader.client(), table),
                    scanAll(follower.client(), table)));
            assertEquals(10, scanAll(follower.client(), table).size());
            assertFalse(follower.server().rebootstrapRequested().isDone());
        }
    }

    @Test
    void aPromotedFollowerLeadsAndTheOtherFollowersCopyItByThemselves() throws Exception {
        int leaderPort = FreePort.find();
        UnaryOperator<Config> followerConfig = cfg -> cfg.withFollow("http://127.0.0.1:" + leaderPort, SECRET);
        Path promotedDir = Files.createTempDirectory("jormundb-promoted");
        TestServer leader = TestServer.start(cfg -> cfg.with(b -> b.port(leaderPort).replicationSecret(SECRET)));
        try (TestServer first = TestServer.start(followerConfig);
             TestServer second = TestServer.start(followerConfig)) {
            String table = createTable(leader.client(), "Promoted");
            put(leader.client(), table, 0, 10);
            await().atMost(WAIT).ignoreExceptions().until(() -> scanAll(first.client(), table).size() == 10
                    && scanAll(second.client(), table).size() == 10);
            leader.close();
            first.restart(() -> TestServer.copyDirectory(first.dataDir(), promotedDir));
            try (TestServer promoted = TestServer.startOn(promotedDir, cfg -> cfg.with(b -> b.port(leaderPort)
                    .replicationSecret(SECRET)))) {
                assertEquals("leader", promoted.wire().get("/health").json().path("role").asText());
                put(promoted.client(), table, 10, 15);
                second.server().rebootstrapRequested().get(20, TimeUnit.SECONDS);
                second.restart();
                await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(scanAll(promoted.client(), table),
                        scanAll(second.client(), table)));
                assertEquals(15, scanAll(second.client(), table).size());
            }
        }
    }

    private static void moveDirectory(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(DynamoDbClient db, String table, int from, int to) {
        IntStream.range(from, to).forEach(i -> db.putItem(r -> r.tableName(table).item(item("id", s("k" + i)))));
    }
}
