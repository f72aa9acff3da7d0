package io.jormundb.api.replication;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a leader knows of its followers, by node id, from their acknowledgements: the next
 * sequence each has applied up to and when it last said so. Kept in memory only (node-local,
 * never shipped; a leader restart learns it again within a second). Thread-safe.
 */
final class Followers {
    /** One follower as last heard of. */
    record Follower(String node, String address, long applied, long seenMillis) {
    }

    private final Map<String, Follower> byNode = new ConcurrentHashMap<>();
    private final Clock clock;

    Followers(Clock clock) {
        this.clock = clock;
    }

    void heard(String node, String address, long applied) {
        byNode.put(node, new Follower(node, address, applied, clock.millis()));
    }

    /** Every follower heard of, by node id. */
    List<Follower> all() {
        return byNode.values().stream().sorted(Comparator.comparing(Follower::node)).toList();
    }
}
