package io.jormundb.api.replication;

import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.replication.Following;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes a follower's data directory a copy of its leader's database, before the follower's
 * engine opens it: a new follower (empty directory), or one whose place was marked for
 * re-bootstrap ({@link #markForBootstrap}, when its leader's log no longer serves it), copies a RocksDB
 * checkpoint of the leader over HTTP, file by file with a progress line each, and records the
 * checkpoint's place in the leader's log as its own. Its node-local state (node id, MQTT
 * sessions and publisher cursors) is kept across a re-bootstrap, and the leader's node-local state
 * in the checkpoint dropped: positions are the same on every copy, so the follower's cursors
 * stay valid. A directory that holds a database but follows no leader is refused, never replaced.
 */
public final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

    private Bootstrap() {
    }

    /**
     * Bootstraps {@code dataDir} from {@code leader} when it needs it.
     *
     * @throws StoreException when the directory holds a database that follows no leader, or the
     *                        copy fails (the leader refused, the connection broke)
     */
    public static void ifNeeded(Path dataDir, String leader, ReplicationSecret secret) {
        Map<byte[], byte[]> nodeState = new LinkedHashMap<>();
        boolean needed;
        try (Store store = Store.open(dataDir, false)) {
            Following place = Following.of(store);
            if (place == null && store.get(Keys.format()) != null) {
                throw new StoreException("data directory " + dataDir.toAbsolutePath() + " holds a database that "
                        + "follows no leader; start a follower on an empty --data-dir (it copies the leader's), or "
                        + "this server without --follow");
            }
            needed = place == null || place.next() == 0;
            store.forEach(Keys.nodeState(), (key, value) -> {
                if (!Arrays.equals(key, Keys.following())) {
                    nodeState.put(key, value);
                }
                return true;
            });
        }
        if (needed) {
            copy(dataDir, leader, secret, nodeState);
        }
    }

    /**
     * Marks a follower's directory for a bootstrap at its next start (its place becomes
     * "nowhere"), keeping its node-local state; the caller restarts the server.
     */
    public static void markForBootstrap(Store store) {
        try (WriteBatch batch = new WriteBatch()) {
            store.put(batch, Keys.following(), Following.of(store).at(0).encode());
            store.write(batch);
        }
    }

    private static void copy(Path dataDir, String leader, ReplicationSecret secret, Map<byte[], byte[]> nodeState) {
        Path staging = staging(dataDir);
        long start = System.nanoTime();
        LOG.info("bootstrap: copying a checkpoint of {} into {}", leader, dataDir.toAbsolutePath());
        Following place;
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                            URI.create(leader + "/replication/checkpoint"))
                    .header("Authorization", secret.authorization()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(response.body(), 64 * 1024))) {
                if (response.statusCode() != 200) {
                    throw new StoreException("the leader " + leader + " refused a checkpoint: "
                            + LeaderReplies.refusal(response.statusCode(), in.readNBytes(4096)));
                }
                place = receive(in, staging);
            }
        } catch (IOException e) {
            throw new StoreException("cannot copy a checkpoint of " + leader + ": " + LeaderReplies.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while copying a checkpoint of " + leader, e);
        }
        install(dataDir, staging, place, nodeState);
        LOG.info("bootstrap: done in {} ms; following {} from sequence {}", (System.nanoTime() - start) / 1_000_000,
                leader, place.next());
    }

    /** Writes the files of a checkpoint stream under {@code staging}; returns its place in the leader's log. */
    private static Following receive(DataInputStream in, Path staging) throws IOException {
        expect(in, Frames.HEADER);
        int files = in.readInt();
        long total = in.readLong();
        long received = 0;
        for (int i = 1; i <= files; i++) {
            expect(in, Frames.FILE);
            String name = in.readUTF();
            long length = in.readLong();
            Path file = staging.resolve(name).normalize();
            if (!file.startsWith(staging.resolve("db")) || length < 0) {
                throw new IOException("the leader sent a file outside the database: " + name);
            }
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                long copied = new BoundedInput(in, length).transferTo(out);
                if (copied != length) {
                    throw new IOException("the checkpoint stream ended inside " + name);
                }
            }
            received += length;
            LOG.info("bootstrap: file {}/{} {} ({} bytes, {}% of {} bytes)", i, files, name, length,
                    total == 0 ? 100 : received * 100 / total, total);
        }
        expect(in, Frames.END);
        long next = in.readLong();
        CommitVersions.Frontier frontier = Frames.readFrontier(in);
        return new Following(next, frontier, in.readUTF());
    }

    private static void expect(DataInputStream in, int frame) throws IOException {
        int type = in.read();
        if (type != frame) {
            throw new IOException("the checkpoint stream broke off (expected frame " + (char) frame + ", got "
                    + type + ")");
        }
    }

    /**
     * Drops the leader's node-local state from the received database and writes this node's,
     * with its new place; then puts it in place of the old one (moved aside first, deleted last).
     * A crash between the two moves leaves no database but both copies, each complete: the next
     * start finishes the install ({@link #finishInterruptedInstall}).
     */
    private static void install(Path dataDir, Path staging, Following place, Map<byte[], byte[]> nodeState) {
        try (Store store = Store.open(staging, false); WriteBatch batch = new WriteBatch()) {
            store.deleteRange(batch, Keys.nodeState().start(), Keys.nodeState().end());
            nodeState.forEach((key, value) -> store.put(batch, key, value));
            store.put(batch, Keys.following(), place.encode());
            store.write(batch);
        }
        Path db = dataDir.resolve("db");
        Path old = replaced(dataDir);
        try {
            LeaderEndpoints.deleteTree(old);
            if (Files.exists(db)) {
                Files.move(db, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging.resolve("db"), db, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException("cannot put the checkpoint in place in " + dataDir + ": " + e, e);
        }
        LeaderEndpoints.deleteTree(old);
        LeaderEndpoints.deleteTree(staging);
    }

    /**
     * Puts in place the database an install had received and moved in when a crash cut it between
     * its two moves: no {@code db}, the old one moved aside. The received copy is complete then
     * (this node's state and place were written into it and it was closed before the first move);
     * without one, the old database goes back. Either way the leftovers are deleted. Runs at every
     * start, before the database opens: a follower restarted as a leader keeps its data too.
     */
    public static void finishInterruptedInstall(Path dataDir) {
        Path db = dataDir.resolve("db");
        Path old = replaced(dataDir);
        Path received = staging(dataDir).resolve("db");
        if (!Files.exists(db) && Files.exists(old)) {
            boolean complete = Files.exists(received);
            try {
                Files.move(complete ? received : old, db, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new StoreException("cannot finish the interrupted bootstrap in " + dataDir + ": " + e, e);
            }
            LOG.info("bootstrap: finished an install a crash had interrupted ({})",
                    complete ? "the received copy put in place" : "no received copy: the old database put back");
        }
        LeaderEndpoints.deleteTree(old);
        LeaderEndpoints.deleteTree(staging(dataDir));
    }

    private static Path staging(Path dataDir) {
        return dataDir.resolve("replication").resolve("bootstrap");
    }

    private static Path replaced(Path dataDir) {
        return dataDir.resolve("replication").resolve("replaced");
    }

    /** At most {@code length} bytes of another stream, which it leaves open. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
