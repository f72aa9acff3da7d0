package io.jormundb.api.replication;

import io.jormundb.api.StallingProxy;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;

/**
 * A follower whose connection to its leader stalls (a frozen proxy, a half-open TCP connection:
 * open, but nothing comes) notices within {@link io.jormundb.api.replication.StallingProxy}'s
 * pause, drops it, and catches up once the path is back. It used to say "connected" with lag 0
 * forever and never follow again.
 */
class FollowerStallTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @Test
    void aFollowerWhoseConnectionStallsConnectsAgainAndCatchesUp() {
        try (TestServer leader = TestServer.start(ReplicationTest.leaderConfig());
             StallingProxy proxy = new StallingProxy(leader.port());
             TestServer follower = followerThrough(proxy)) {
            createTable(leader.client(), "Stall");
            leader.client().putItem(r -> r.tableName("Stall").item(item("id", s("before"))));
            await().atMost(WAIT).until(() -> follower.client().getItem(r -> r.tableName("Stall")
                    .key(item("id", s("before")))).hasItem());

            proxy.pause();
            leader.client().putItem(r -> r.tableName("Stall").item(item("id", s("during"))));
            await().atMost(WAIT).until(() -> !follower.wire().get("/health").json().path("connected").asBoolean());

            proxy.resume();
            await().atMost(WAIT).until(() -> follower.client().getItem(r -> r.tableName("Stall")
                    .key(item("id", s("during")))).hasItem());
            await().atMost(WAIT).until(() -> follower.wire().get("/health").json().path("connected").asBoolean());
        }
    }

    /** A follower whose connection to its leader passes {@code proxy}. */
    private static TestServer followerThrough(StallingProxy proxy) {
        return TestServer.start(cfg -> cfg.withFollow("http://127.0.0.1:" + proxy.port(), ReplicationTest.SECRET));
    }

    /** It used to show lag 0 all along: it heard of the leader's log end only after the batches up to it. */
    @Test
    void aFollowerCatchingUpOverASlowLinkShowsItsLagFallingToZero() {
        try (TestServer leader = TestServer.start(ReplicationTest.leaderConfig());
             StallingProxy proxy = new StallingProxy(leader.port());
             TestServer follower = followerThrough(proxy)) {
            createTable(leader.client(), "Slow");
            await().atMost(WAIT).ignoreExceptions().until(() -> follower.client().describeTable(r -> r.tableName("Slow"))
                    .table() != null);
            String value = "x".repeat(4_000);
            follower.restart(() -> {
                IntStream.range(0, 100).forEach(i -> leader.client().putItem(r -> r.tableName("Slow")
                        .item(item("id", s("k" + i), "v", s(value)))));
                proxy.limit(16_000); // 400 KB of batches at 160 KB/s
            });
            await().atMost(WAIT).until(() -> follower.wire().get("/health").json().path("lag").asLong() > 0);
            proxy.limit(0);
            await().atMost(WAIT).until(() -> follower.wire().get("/health").json().path("lag").asLong() == 0
                    && follower.client().scan(r -> r.tableName("Slow")).count() == 100);
        }
    }
}
