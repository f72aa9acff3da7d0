package io.jormundb.engine.replication;

import io.jormundb.engine.Engine;
import io.jormundb.engine.SomeChanges;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.CacheSize;
import io.jormundb.engine.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static io.jormundb.engine.changelog.CommitVersions.EPOCH_SPAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Leader epochs: a server that starts as the leader of a log another node led (a follower's
 * directory, a checkpoint's copy) takes its versions above the next epoch's floor, once; a restart
 * of a leader goes on where it stopped.
 */
class LeaderEpochTest {
    @TempDir
    Path dir;

    @Test
    void aLeaderOfAnotherNodesLogStartsANewEpochOnceAndItsRestartsGoOnInIt() throws Exception {
        TableDefinition table;
        try (Engine engine = open()) {
            table = SomeChanges.table(engine, "Epochs");
            SomeChanges.put(engine, table, "a", "1");
            SomeChanges.put(engine, table, "b", "1");
        }
        long last;
        try (Engine engine = open()) {
            last = engine.writePath().versions().frontier().version();
            assertEquals(0, CommitVersions.epochOf(last), "a leader's restart is no new epoch");
        }

        // As if it had been a follower: its place names another node's log.
        try (Store store = Store.open(dir, false); WriteBatch batch = new WriteBatch()) {
            store.put(batch, Keys.following(), new Following(7, new CommitVersions.Frontier(last,
                    new Position(last, 0)), "leader-1").encode());
            store.write(batch);
        }
        try (Engine engine = open()) {
            assertEquals(new CommitVersions.Frontier(EPOCH_SPAN, new Position(EPOCH_SPAN, 0)),
                    engine.writePath().versions().frontier(), "a promoted follower starts at epoch 1's floor");
            assertNull(engine.store().get(Keys.following()), "it follows nobody now");
            SomeChanges.put(engine, table, "c", "1");
            assertEquals(EPOCH_SPAN + 1, engine.writePath().versions().frontier().version());
        }
        String original;
        try (Engine engine = open()) {
            assertEquals(new CommitVersions.Frontier(EPOCH_SPAN + 1, new Position(EPOCH_SPAN + 1, 0)),
                    engine.writePath().versions().frontier(), "a restart goes on in its epoch");
            original = NodeId.of(engine.store());
        }

        Files.writeString(dir.resolve(NodeId.COPY_MARKER), "a copy");
        try (Engine engine = open()) {
            assertEquals(2 * EPOCH_SPAN, engine.writePath().versions().frontier().version(),
                    "a checkpoint's copy starts the next epoch");
            assertNotEquals(original, NodeId.of(engine.store()), "and is another node");
            assertFalse(Files.exists(dir.resolve(NodeId.COPY_MARKER)));
        }
        try (Engine engine = open()) {
            assertEquals(2 * EPOCH_SPAN, engine.writePath().versions().frontier().version(),
                    "with no write since, a restart keeps the epoch's floor");
            assertEquals(2, CommitVersions.epochOf(engine.writePath().versions().frontier().version()));
        }
    }

    private Engine open() {
        return Engine.open(dir, 4, false, Duration.ZERO, CacheSize.MIN_BYTES, false, Clock.systemUTC());
    }
}
