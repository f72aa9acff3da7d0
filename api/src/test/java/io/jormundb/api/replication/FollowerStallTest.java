package io.jormundb.api.replication;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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
             TestServer follower = TestServer.start(cfg -> cfg.withFollow("http://127.0.0.1:" + proxy.port(),
                     ReplicationTest.SECRET))) {
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
}
