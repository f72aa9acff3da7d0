package io.jormundb.api.admin;

import io.jormundb.api.EventStream;
import io.jormundb.api.Hosts;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import io.jormundb.api.config.Config;
import io.jormundb.engine.replication.NodeId;
import io.jormundb.engine.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code POST /admin/checkpoint}: a backup of a running server, taken under writers, that a
 * second server serves — every write acknowledged before the call, its change records and
 * resume tokens, and nothing half-written.
 */
class CheckpointTest {
    private static final UnaryOperator<Config> QUICK_HEARTBEAT = cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200));

    @TempDir
    Path temp;

    @Test
    void aCheckpointTakenUnderWritersIsAConsistentDataDirectoryThatAServerServes() throws Exception {
        Path backup = temp.resolve("backup");
        try (TestServer source = TestServer.start()) {
            DynamoDbClient db = source.client();
            String table = createTable(db, "Backed");
            IntStream.range(0, 200).parallel().forEach(i -> db.putItem(r -> r.tableName(table)
                    .item(item("id", s("before-" + i), "n", n(i)))));
            String lastToken;
            try (EventStream feed = EventStream.connect(source.endpoint().resolve("/changes/" + table
                    + "?since=trim_horizon"))) {
                lastToken = feed.next(200).getLast().id();
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger during = new AtomicInteger();
            CompletableFuture<Void> writers = CompletableFuture.allOf(IntStream.range(0, 8)
                    .mapToObj(w -> CompletableFuture.runAsync(() -> {
                        while (writing.get()) {
                            int i = during.getAndIncrement();
                            db.putItem(r -> r.tableName(table).item(item("id", s("during-" + i), "n", n(i))));
                        }
                    })).toArray(CompletableFuture[]::new));
            Wire.Reply reply;
            try {
                reply = source.wire().postEmpty("/admin/checkpoint?directory=" + backup);
            } finally {
                writing.set(false);
                writers.join();
            }
            assertEquals(200, reply.status(), reply::text);
            assertEquals(backup.toString(), reply.json().path("directory").asText());
            assertTrue(reply.json().path("files").asLong() > 0, reply.text());
            db.putItem(r -> r.tableName(table).item(item("id", s("after"))));
            String afterToken;
            try (EventStream feed = EventStream.connect(source.endpoint().resolve("/changes/" + table),
                    "Last-Event-ID", lastToken)) {
                afterToken = feed.next(during.get() + 1).getLast().id();
            }

            assertTrue(Files.exists(backup.resolve(NodeId.COPY_MARKER)), "the copy is marked as a new node");
            try (TestServer copy = TestServer.startOn(backup, QUICK_HEARTBEAT)) {
                // Another node: a follower of the original is not taken in by a restored copy of it.
                assertNotEquals(NodeId.of(source.server().engine().store()), NodeId.of(copy.server().engine().store()));
                assertFalse(Files.exists(backup.resolve(NodeId.COPY_MARKER)));
                List<String> ids = new ArrayList<>();
                copy.client().scanPaginator(r -> r.tableName(table)).items()
                        .forEach(i -> ids.add(i.get("id").s()));
                for (int i = 0; i < 200; i++) {
                    assertTrue(ids.contains("before-" + i), "before-" + i);
                }
                assertTrue(!ids.contains("after"), "a write after the checkpoint is not in it");
                // Items and changelog were copied at one instant: one INSERT per item, no more, no fewer.
                try (EventStream feed = EventStream.connect(copy.endpoint().resolve("/changes/" + table
                        + "?since=trim_horizon"))) {
                    Set<String> inserted = new HashSet<>();
                    feed.next(ids.size()).forEach(e -> inserted.add(e.keyText()));
                    feed.assertNoMoreEvents();
                    assertEquals(ids.size(), inserted.size());
                }
                // A resume token of the source resumes on the copy, just after its record.
                try (EventStream resumed = EventStream.connect(copy.endpoint().resolve("/changes/" + table),
                        "Last-Event-ID", lastToken)) {
                    assertEquals(ids.size() - 200, resumed.next(ids.size() - 200).size());
                    resumed.assertNoMoreEvents();
                }
                // The copy leads a log of its own from here: its changes come after every position
                // of the source's, so a token of a change the copy lacks resumes with the copy's first.
                copy.client().putItem(r -> r.tableName(table).item(item("id", s("on-the-copy"))));
                try (EventStream resumed = EventStream.connect(copy.endpoint().resolve("/changes/" + table),
                        "Last-Event-ID", afterToken)) {
                    assertEquals("on-the-copy", resumed.next().attribute("id"));
                }
            }
        }
    }

    @Test
    void aCheckpointNeedsANewAbsoluteDirectoryAndARequestFromThisMachine() throws Exception {
        Path full = Files.createDirectories(temp.resolve("full"));
        Files.writeString(full.resolve("something"), "x");
        TestServer.with((server, client) -> {
            assertRefused(server.wire().postEmpty("/admin/checkpoint"), "name the new data directory");
            assertRefused(server.wire().postEmpty("/admin/checkpoint?directory=relative/dir"),
                    "directory must be an absolute path: relative/dir");
            assertRefused(server.wire().postEmpty("/admin/checkpoint?directory=" + full),
                    "directory exists and is not empty: " + full);
            assertEquals(List.of("something"), Files.list(full).map(p -> p.getFileName().toString()).toList());
            Path inside = server.dataDir().toAbsolutePath().resolve("db").resolve("copy");
            assertRefused(server.wire().postEmpty("/admin/checkpoint?directory=" + inside),
                    "directory is inside this server's data directory: " + inside);
            assertFalse(Files.exists(inside));
            Path underAFile = full.resolve("something").resolve("copy");
            Wire.Reply failed = server.wire().postEmpty("/admin/checkpoint?directory=" + underAFile);
            assertEquals(400, failed.status(), failed::text);
            assertEquals("CheckpointFailed", failed.json().path("error").asText());
            assertTrue(failed.json().path("message").asText().startsWith("cannot write into " + underAFile + ": "),
                    failed.text());

            Optional<InetAddress> external = Hosts.externalAddress();
            assumeTrue(external.isPresent(), "this machine has no address besides loopback");
            Wire outside = new Wire(URI.create("http://" + external.get().getHostAddress() + ":" + server.port()));
            Wire.Reply reply = outside.postEmpty("/admin/checkpoint?directory=" + temp.resolve("stolen"));
            assertEquals(403, reply.status());
            assertEquals("Forbidden", reply.json().path("error").asText());
            assertTrue(Files.notExists(temp.resolve("stolen")));
        });
    }

    @Test
    void checkpointsRacingForOneDirectoryWriteOneCopyThatKeepsItsNewNodeMark() throws Exception {
        TestServer.with((server, client) -> {
            String table = createTable(client, "Raced");
            client.putItem(r -> r.tableName(table).item(item("id", s("a"))));
            for (int round = 0; round < 20; round++) {
                Path target = temp.resolve("raced-" + round);
                List<CompletableFuture<Wire.Reply>> calls = IntStream.range(0, 8)
                        .mapToObj(i -> CompletableFuture.supplyAsync(
                                () -> server.wire().postEmpty("/admin/checkpoint?directory=" + target)))
                        .toList();
                List<Wire.Reply> replies = calls.stream().map(CompletableFuture::join).toList();
                assertEquals(1, replies.stream().filter(r -> r.status() == 200).count(),
                        () -> replies.stream().map(Wire.Reply::text).toList().toString());
                for (Wire.Reply reply : replies) {
                    if (reply.status() != 200) {
                        assertRefused(reply, "directory exists and is not empty: " + target);
                    }
                }
                assertTrue(Files.exists(target.resolve(NodeId.COPY_MARKER)), "the copy keeps its mark, round " + round);
                assertTrue(Files.isDirectory(target.resolve("db")));
            }
        });
    }

    @Test
    void aCheckpointCutShortIsRefusedAtStartNotServedAsAnEmptyDatabase() throws Exception {
        // What a crash during the checkpoint leaves: RocksDB's unfinished copy, renamed to db only when complete.
        Path cut = temp.resolve("cut");
        Files.createDirectories(cut.resolve("db.tmp"));
        Files.writeString(cut.resolve(NodeId.COPY_MARKER), "a copy\n");
        StoreException e = assertThrows(StoreException.class, () -> TestServer.startOn(cut, UnaryOperator.identity()));
        assertEquals("data directory " + cut.toAbsolutePath() + " holds a checkpoint that was cut short (db.tmp, "
                + "no db): delete the directory and take the checkpoint again", e.getMessage());
        assertFalse(Files.exists(cut.resolve("db")), "no empty database made in its place");
    }

    private static void assertRefused(Wire.Reply reply, String message) {
        assertEquals(400, reply.status(), reply::text);
        assertEquals("InvalidParameter", reply.json().path("error").asText());
        assertTrue(reply.json().path("message").asText().startsWith(message), reply.text());
    }
}
