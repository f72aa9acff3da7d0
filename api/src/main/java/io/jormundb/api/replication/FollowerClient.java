package io.jormundb.api.replication;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.replication.Replica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A follower's connection to its leader: reads the leader's WAL stream from the follower's
 * place, applies each batch ({@link Replica#apply}) and moves the commit frontier at each
 * frontier frame ({@link Replica#follow}), which wakes the follower's SSE, Streams and MQTT
 * readers. Every second it tells the leader how far it applied (for the leader's lag report).
 *
 * <p>When the connection breaks (the leader restarts, the network fails) it reconnects every
 * second from its recorded place, which is exact: nothing is applied twice or skipped. When the
 * leader's log no longer holds that place (410), or the place lies after its end or names
 * another leader's log (409: a new leader, promoted or restored), it stops
 * and calls {@code rebootstrap}: the server restarts on a fresh checkpoint. A refused secret is
 * logged and retried every few seconds (the operator fixes the configuration). One thread.
 */
public final class FollowerClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FollowerClient.class);
    private static final long RETRY_MILLIS = 1000;
    private static final long REFUSED_RETRY_MILLIS = 5000;
    /**
     * The leader sends a frame at least every second: none for this long means the connection
     * stalled (a half-open TCP connection, a frozen proxy), and it is closed to connect again.
     */
    static final long STALL_MILLIS = 10_000;

    private final String leader;
    private final ReplicationSecret secret;
    private final Replica replica;
    private final String node;
    private final Runnable rebootstrap;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread follower;
    private final Thread acknowledger;
    private volatile InputStream stream;
    private volatile boolean connected;
    private volatile long leaderNext;
    private volatile long lastContactMillis;
    /** When the current connection last delivered a frame (or opened). */
    private volatile long lastFrameMillis;
    /** Set once a connection failed, so that an outage logs one line, not one a second; reset once connected. */
    private boolean retrying;

    /**
     * @param node        this follower's id, which the leader reports its lag under
     * @param rebootstrap called once when the leader's log no longer serves this follower
     */
    public FollowerClient(String leader, ReplicationSecret secret, Replica replica, String node, Runnable rebootstrap) {
        this.leader = leader;
        this.secret = secret;
        this.replica = replica;
        this.node = node;
        this.rebootstrap = rebootstrap;
        this.follower = Thread.ofPlatform().name("jormundb-follower").daemon(true).unstarted(this::follow);
        this.acknowledger = Thread.ofVirtual().name("jormundb-follower-ack").unstarted(this::acknowledge);
    }

    public FollowerClient start() {
        leaderNext = replica.place().next();
        follower.start();
        acknowledger.start();
        return this;
    }

    /** The follower's state for {@code /health}: leader, connected, applied, lag (sequences), last contact. */
    public ObjectNode status(long nowMillis) {
        long applied = replica.place().next();
        ObjectNode status = JsonNodeFactory.instance.objectNode().put("leader", leader).put("node", node)
                .put("connected", connected).put("applied", applied).put("lag", lag());
        if (lastContactMillis > 0) {
            status.put("lastContactMillisAgo", nowMillis - lastContactMillis);
        }
        return status;
    }

    /** How many sequence numbers of the leader's log, as last heard, this follower has not applied. */
    public long lag() {
        return Math.max(0, leaderNext - replica.place().next());
    }

    public String node() {
        return node;
    }

    private void follow() {
        while (closing.getCount() > 0) {
            long wait = RETRY_MILLIS;
            try {
                wait = followOnce();
            } catch (IOException | RuntimeException e) {
                if (closing.getCount() > 0 && !retrying) {
                    LOG.warn("lost the leader {} ({}); retrying every second from sequence {}", leader, e.toString(),
                            replica.place().next());
                }
                retrying = true;
            } catch (InterruptedException e) {
                return;
            } finally {
                connected = false;
            }
            if (wait < 0 || await(wait)) {
                return;
            }
        }
    }

    /** Follows one connection to its end; returns how long to wait before the next, or -1 to stop. */
    private long followOnce() throws IOException, InterruptedException {
        long from = replica.place().next();
        HttpResponse<InputStream> response = http.send(request("/replication/wal?from=" + from + "&node=" + node
                + "&leader=" + replica.place().leader()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            byte[] bodyBytes;
            try (InputStream in = response.body()) {
                bodyBytes = in.readNBytes(4096);
            }
            String body = new String(bodyBytes, StandardCharsets.UTF_8);
            if (response.statusCode() == 410 || response.statusCode() == 409
                    && (body.contains("FollowerAhead") || body.contains("OtherLeader"))) {
                LOG.warn("the leader {} cannot ship from sequence {} ({}); re-bootstrapping from a checkpoint", leader,
                        from, body);
                rebootstrap.run();
                return -1;
            }
            LOG.error("the leader {} refused to ship: {}", leader, LeaderReplies.refusal(response.statusCode(), bodyBytes));
            return REFUSED_RETRY_MILLIS;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(response.body(), 64 * 1024))) {
            stream = in;
            lastFrameMillis = System.currentTimeMillis();
            connected = true;
            retrying = false;
            LOG.info("following {} from sequence {}", leader, from);
            while (closing.getCount() > 0) {
                Frames.WalFrame frame = Frames.readWalFrame(in);
                lastFrameMillis = System.currentTimeMillis();
                switch (frame) {
                    case Frames.WalFrame.Batch b -> replica.apply(b.batch());
                    case Frames.WalFrame.Frontier f -> {
                        replica.follow(f.frontier());
                        leaderNext = f.leaderNext();
                        lastContactMillis = System.currentTimeMillis();
                    }
                }
            }
        } finally {
            stream = null;
        }
        return RETRY_MILLIS;
    }

    private void acknowledge() {
        long acknowledged = -1;
        while (!await(RETRY_MILLIS)) {
            closeIfStalled();
            long applied = replica.place().next();
            if (!connected && applied == acknowledged) {
                continue;
            }
            try {
                http.send(request("/replication/ack?node=" + node + "&applied=" + applied)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                acknowledged = applied;
            } catch (IOException e) {
                LOG.debug("cannot acknowledge to {}: {}", leader, e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Closes a connection that delivered nothing for {@link #STALL_MILLIS}: its reader connects again. */
    private void closeIfStalled() {
        InputStream open = stream;
        long silent = System.currentTimeMillis() - lastFrameMillis;
        if (open != null && connected && silent > STALL_MILLIS) {
            LOG.warn("nothing from the leader {} for {} s; connecting again", leader, silent / 1000);
            connected = false;
            try {
                open.close();
            } catch (IOException ignored) {
                // Closing is all that is wanted; the reader sees the stream end either way.
            }
        }
    }

    /** A request to the leader; one whose answer does not begin within {@link #STALL_MILLIS} fails. */
    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(leader + path)).timeout(Duration.ofMillis(STALL_MILLIS))
                .header("Authorization", secret.authorization());
    }

    /** Waits {@code millis} or until closed; returns whether closed. */
    private boolean await(long millis) {
        try {
            return closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Stops following (the batch being applied completes first) and closes the connection. */
    @Override
    public void close() {
        closing.countDown();
        InputStream open = stream;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // Closing to end the blocked read; the reader notices and stops.
            }
        }
        follower.interrupt();
        acknowledger.interrupt();
        try {
            follower.join(5000);
            acknowledger.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
