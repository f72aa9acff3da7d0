package io.jormundb.api.replication;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jormundb.engine.Engine;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.replication.NodeId;
import io.jormundb.engine.replication.Wal;
import io.jormundb.engine.replication.WalBatch;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The leader's replication endpoints, each closed unless the request carries the replication
 * secret:
 * <ul>
 *   <li>{@code GET /replication/wal?from=N&node=ID&leader=ID}: a long-lived stream of the write batches of
 *       the leader's log from sequence N (see {@link Frames}), each round of them announced by
 *       the log's end it reaches (with the frontier sent before: only the follower's lag moves),
 *       then, after every batch written up to the log's end as it was, the leader's commit
 *       frontier as it was before that end was read, so every version up to it is in the batches
 *       sent; then it waits for the next write or frontier move (a frontier frame at least every
 *       second keeps the connection and the lag live).
 *       410 {@code WalTrimmed} when the log no longer holds N, 409 {@code FollowerAhead} when N
 *       lies after its end, 409 {@code OtherLeader} when the follower's place names another
 *       leader's log (sequence numbers are each node's own): the follower copies a checkpoint.</li>
 *   <li>{@code GET /replication/checkpoint}: a RocksDB checkpoint of the leader, file by file,
 *       and its place in the log: where a new follower starts.</li>
 *   <li>{@code POST /replication/ack?node=ID&applied=N}: a follower's progress, for the lag the
 *       leader reports.</li>
 * </ul>
 * Thread-safe: each stream runs on its request's own thread.
 */
public final class LeaderEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEndpoints.class);
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long FRONTIER_EVERY_MILLIS = 1000;
    private static final int READ_BATCHES = 512;
    private static final long READ_BYTES = 4L << 20;

    private final Engine engine;
    private final Wal wal;
    private final ReplicationSecret secret;
    private final String leaderOfThisFollower;
    private final Followers followers;
    private final String node;
    private volatile boolean closed;

    /**
     * @param secret   the replication secret, or {@code null}: the endpoints are closed
     * @param follows  the leader this server follows, or {@code null} when it is a leader
     */
    public LeaderEndpoints(Engine engine, ReplicationSecret secret, String follows, Clock clock) {
        this.engine = engine;
        this.wal = new Wal(engine.store());
        this.secret = secret;
        this.leaderOfThisFollower = follows;
        this.followers = new Followers(clock);
        this.node = NodeId.of(engine.store());
        // A version is published after its batch is in the log: a stream that sent the batch
        // waits for the frontier that covers it too.
        engine.writePath().versions().onAdvance(engine.store()::wakeWalReaders);
        deleteTree(engine.store().dataDir().resolve("replication").resolve("checkpoints"));
    }

    /** {@code GET /replication/wal}. */
    public void wal(Context ctx) throws IOException {
        if (!admitted(ctx)) {
            return;
        }
        String follower = ctx.queryParam("node");
        long from = longParam(ctx.queryParam("from"));
        if (follower == null || !NODE.matcher(follower).matches() || from < 1) {
            error(ctx, 400, "InvalidParameter", "name the follower (node=[A-Za-z0-9_-]{1,64}) and the sequence to "
                    + "read from (from=N, N >= 1)");
            return;
        }
        if (!node.equals(ctx.queryParam("leader"))) {
            error(ctx, 409, "OtherLeader", "the follower's place names the log of leader " + ctx.queryParam("leader")
                    + ", not of this one (" + node + "); bootstrap it from a checkpoint");
            return;
        }
        Wal.Read first = wal.read(from, 0, 0);
        if (first instanceof Wal.Read.Trimmed) {
            error(ctx, 410, "WalTrimmed", "this leader's write-ahead log no longer holds sequence " + from
                    + " (--wal-retention); bootstrap the follower from a checkpoint");
            return;
        }
        if (first instanceof Wal.Read.Ahead ahead) {
            error(ctx, 409, "FollowerAhead", "the follower asks for sequence " + from + " but this leader's log ends at "
                    + ahead.latest() + ": it copies another database; bootstrap it from a checkpoint");
            return;
        }
        followers.heard(follower, ctx.req().getRemoteAddr(), from);
        LOG.info("follower {} at {} follows from sequence {}", follower, ctx.req().getRemoteAddr(), from);
        ctx.status(200).contentType("application/octet-stream");
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(ctx.res().getOutputStream(), 64 * 1024));
        try {
            stream(out, from);
        } catch (IOException e) {
            LOG.info("follower {} went away: {}", follower, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stream(DataOutputStream out, long from) throws IOException, InterruptedException {
        long next = from;
        // The frontier last sent; before that, one below any follower's (a follower ignores a
        // frontier it has passed, so a log-end hint that repeats it moves nothing but the lag).
        CommitVersions.Frontier sent = new CommitVersions.Frontier(0, Position.START);
        while (!closed) {
            CommitVersions.Frontier frontier = engine.writePath().versions().frontier();
            long end = wal.next();
            if (next < end) {
                // The log's end ahead of the batches up to it: the follower's lag counts them while they come.
                Frames.writeFrontier(out, end, sent);
            }
            while (next < end) {
                Wal.Read read = wal.read(next, READ_BATCHES, READ_BYTES);
                if (!(read instanceof Wal.Read.Batches batches) || batches.batches().isEmpty()) {
                    return;
                }
                for (WalBatch batch : batches.batches()) {
                    Frames.writeBatch(out, batch);
                }
                next = batches.next();
            }
            Frames.writeFrontier(out, end, frontier);
            out.flush();
            sent = frontier;
            engine.store().awaitWriteAfter(end - 1, FRONTIER_EVERY_MILLIS,
                    () -> !engine.writePath().versions().frontier().equals(frontier));
        }
    }

    /** {@code GET /replication/checkpoint}. */
    public void checkpoint(Context ctx) throws IOException {
        if (!admitted(ctx)) {
            return;
        }
        Store store = engine.store();
        CommitVersions.Frontier frontier = engine.writePath().versions().frontier();
        Path dir = store.dataDir().resolve("replication").resolve("checkpoints")
                .resolve(UUID.randomUUID().toString());
        try {
            Store.Checkpointed made;
            long sequence;
            try {
                made = store.checkpoint(dir);
                sequence = Store.sequenceOf(dir);
            } catch (StoreException e) {
                error(ctx, 500, "CheckpointFailed", e.getMessage());
                return;
            }
            LOG.info("sending a checkpoint to {}: {} files, {} bytes, at sequence {}", ctx.req().getRemoteAddr(),
                    made.files(), made.bytes(), sequence);
            ctx.status(200).contentType("application/octet-stream");
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(ctx.res().getOutputStream(),
                    64 * 1024));
            List<Path> files = files(dir);
            out.writeByte(Frames.HEADER);
            out.writeInt(files.size());
            out.writeLong(made.bytes());
            for (Path file : files) {
                out.writeByte(Frames.FILE);
                out.writeUTF(dir.relativize(file).toString().replace('\\', '/'));
                out.writeLong(Files.size(file));
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                }
            }
            Frames.writeEnd(out, sequence + 1, frontier, node);
            out.flush();
        } finally {
            deleteTree(dir);
        }
    }

    /** {@code POST /replication/ack}. */
    public void ack(Context ctx) throws IOException {
        if (!admitted(ctx)) {
            return;
        }
        String follower = ctx.queryParam("node");
        long applied = longParam(ctx.queryParam("applied"));
        if (follower == null || !NODE.matcher(follower).matches() || applied < 1) {
            error(ctx, 400, "InvalidParameter", "name the follower (node=…) and the sequence it applied up to "
                    + "(applied=N)");
            return;
        }
        followers.heard(follower, ctx.req().getRemoteAddr(), applied);
        ctx.status(204);
    }

    /** The followers as {@code /health} shows them: node, address, applied, lag (sequences), last heard (ms ago). */
    public ArrayNode followers(long nowMillis) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        long next = wal.next();
        for (Followers.Follower f : followers.all()) {
            list.addObject().put("node", f.node()).put("address", f.address()).put("applied", f.applied())
                    .put("lag", Math.max(0, next - f.applied())).put("lastHeardMillisAgo", nowMillis - f.seenMillis());
        }
        return list;
    }

    /** Each follower's lag in sequence numbers, for {@code /metrics}. */
    public List<Lag> lags() {
        long next = wal.next();
        return followers.all().stream().map(f -> new Lag(f.node(), Math.max(0, next - f.applied()))).toList();
    }

    /** How far one follower is behind its leader's log, in sequence numbers. */
    public record Lag(String node, long sequences) {
    }

    /** Whether the request may replicate; answers it otherwise. */
    private boolean admitted(Context ctx) {
        if (leaderOfThisFollower != null) {
            error(ctx, 409, "NotALeader", "this server is a follower of " + leaderOfThisFollower
                    + "; follow the leader itself");
            return false;
        }
        if (secret == null) {
            error(ctx, 403, "ReplicationOff", "replication is off on this server: start it with "
                    + "--replication-secret (JORMUN_REPLICATION_SECRET)");
            return false;
        }
        if (!secret.accepts(ctx.header("Authorization"))) {
            LOG.warn("refused a replication request from {}: wrong or missing secret", ctx.req().getRemoteAddr());
            error(ctx, 401, "WrongSecret", "wrong or missing replication secret: send Authorization: Bearer "
                    + "<the leader's --replication-secret>");
            return false;
        }
        return true;
    }

    static void error(Context ctx, int status, String name, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", name).put("message", message);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private static long longParam(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    /** Ends the open WAL streams within a second. */
    @Override
    public void close() {
        closed = true;
    }
}
