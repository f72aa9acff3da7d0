package io.jormundb.api.metrics;

import io.jormundb.broker.PublisherStatus;
import io.jormundb.broker.SessionsStatus;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.store.Store;
import io.jormundb.streams.feed.LiveTail;
import io.jormundb.streams.log.Changelog;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything {@code GET /metrics} reports, in one Prometheus registry of the server's own (the
 * Prometheus Java client): requests per DynamoDB operation (count, errors by type, a latency
 * histogram); tables, items, bytes and changelog records kept per table; feed subscribers and
 * SSE events delivered; each MQTT publisher's progress; the embedded broker's persistent
 * sessions; the JVM; RocksDB's memtables, block
 * cache, pending compaction and write stalls. Counters are counted as things happen; the rest
 * is read from in-memory state at each scrape. Thread-safe.
 */
public final class ServerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Counter errors;
    private final Histogram latency;
    private final Counter sseEvents;
    /** Each operation's request counter and latency series, looked up once, not per request (1% of PutItem). */
    private final Map<String, OperationSeries> byOperation = new ConcurrentHashMap<>();

    private record OperationSeries(CounterDataPoint requests, DistributionDataPoint latency) {
    }

    public ServerMetrics(Engine engine, Changelog changelog, LiveTail liveTail,
                         Supplier<List<PublisherStatus>> publishers, Supplier<SessionsStatus> sessions) {
        requests = Counter.builder().name("jormundb_requests_total")
                .help("DynamoDB and DynamoDB Streams requests, by operation.")
                .labelNames("operation").register(registry);
        errors = Counter.builder().name("jormundb_request_errors_total")
                .help("Requests answered with an error, by operation and error type.")
                .labelNames("operation", "error").register(registry);
        latency = Histogram.builder().name("jormundb_request_duration_seconds")
                .help("Time from a request's body being read to its answer being ready, by operation.")
                .labelNames("operation").classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
                .register(registry);
        sseEvents = Counter.builder().name("jormundb_feed_events_delivered_total")
                .help("Change events written to SSE subscribers.").register(registry);
        tables(engine, changelog);
        feeds(liveTail, publishers);
        sessions(sessions);
        rocksDb(engine.store());
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Counts one DynamoDB or Streams request; {@code error} is its error type, or {@code null} when it succeeded. */
    public void request(String operation, String error, long nanos) {
        OperationSeries series = byOperation.computeIfAbsent(operation,
                op -> new OperationSeries(requests.labelValues(op), latency.labelValues(op)));
        series.requests().inc();
        series.latency().observe(nanos / 1e9);
        if (error != null) {
            errors.labelValues(operation, error).inc();
        }
    }

    /**
     * Reports replication lag: on a leader each follower's, on a follower its own, in sequence
     * numbers of the leader's write-ahead log, by follower node id.
     */
    public void replication(Supplier<java.util.Map<String, Long>> lags) {
        GaugeWithCallback.builder().name("jormundb_replication_lag")
                .help("Sequence numbers of the leader's write-ahead log a follower has not applied, by follower.")
                .labelNames("follower")
                .callback(cb -> lags.get().forEach((node, lag) -> cb.call(lag, node))).register(registry);
    }

    /** Counts change events written to an SSE subscriber. */
    public void sseEventsDelivered(int count) {
        sseEvents.inc(count);
    }

    private void tables(Engine engine, Changelog changelog) {
        GaugeWithCallback.builder().name("jormundb_tables").help("Tables in the catalog.")
                .callback(cb -> cb.call(engine.catalog().all().size())).register(registry);
        GaugeWithCallback.builder().name("jormundb_table_items").help("Items in a table.").labelNames("table")
                .callback(cb -> {
                    for (TableDefinition t : engine.catalog().list()) {
                        cb.call(engine.writePath().stats(t).itemCount(), t.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("jormundb_table_size_bytes")
                .help("Total item size of a table, as DynamoDB sizes items.").labelNames("table")
                .callback(cb -> {
                    for (TableDefinition t : engine.catalog().list()) {
                        cb.call(engine.writePath().stats(t).sizeBytes(), t.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("jormundb_changelog_records").help("Change records of a table still kept.")
                .labelNames("table")
                .callback(cb -> {
                    for (TableDefinition t : engine.catalog().list()) {
                        cb.call(changelog.recordsKept(t), t.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("jormundb_commit_version")
                .help("The highest commit version readers may see (the changelog's frontier).")
                .callback(cb -> cb.call(changelog.frontier().version())).register(registry);
    }

    private void feeds(LiveTail liveTail, Supplier<List<PublisherStatus>> publishers) {
        GaugeWithCallback.builder().name("jormundb_feed_subscribers")
                .help("Readers following the live tail (SSE feeds and MQTT publishers).")
                .callback(cb -> cb.call(liveTail.subscriberCount())).register(registry);
        GaugeWithCallback.builder().name("jormundb_mqtt_publisher_lag")
                .help("Commit versions an MQTT publisher has not published yet.").labelNames("reader")
                .callback(cb -> publishers.get().forEach(p -> cb.call(p.lag(), p.reader()))).register(registry);
        CounterWithCallback.builder().name("jormundb_mqtt_published")
                .help("Messages an MQTT publisher's target took since the server started.").labelNames("reader")
                .callback(cb -> publishers.get().forEach(p -> cb.call(p.published(), p.reader()))).register(registry);
        GaugeWithCallback.builder().name("jormundb_mqtt_publisher_resend")
                .help("Commit versions a restart now would publish again (what persistent sessions have not "
                        + "acknowledged, as written to RocksDB).").labelNames("reader")
                .callback(cb -> publishers.get().forEach(p -> cb.call(p.resend(), p.reader()))).register(registry);
        GaugeWithCallback.builder().name("jormundb_mqtt_publisher_unsaved")
                .help("Commit versions an MQTT publisher's target took that its cursor in RocksDB does not cover yet "
                        + "(written every 100 ms): what a kill -9 now would publish again to everyone.").labelNames("reader")
                .callback(cb -> publishers.get().forEach(p -> cb.call(p.unsaved(), p.reader()))).register(registry);
    }

    /** @param sessions the embedded broker's persistent sessions, or {@code null} from it when there is no embedded broker */
    private void sessions(Supplier<SessionsStatus> sessions) {
        GaugeWithCallback.builder().name("jormundb_mqtt_persistent_sessions")
                .help("Persistent sessions of the embedded MQTT broker.")
                .callback(cb -> Optional.ofNullable(sessions.get()).ifPresent(s -> cb.call(s.sessions())))
                .register(registry);
        GaugeWithCallback.builder().name("jormundb_mqtt_unacknowledged")
                .help("Messages routed to persistent sessions at QoS 1 that their clients have not acknowledged yet.")
                .callback(cb -> Optional.ofNullable(sessions.get()).ifPresent(s -> cb.call(s.unacknowledged())))
                .register(registry);
        CounterWithCallback.builder().name("jormundb_mqtt_publish_throttles")
                .help("Times the embedded MQTT broker stopped reading a client connection for a moment because it "
                        + "published faster than --mqtt-max-publish-rate.")
                .callback(cb -> Optional.ofNullable(sessions.get()).ifPresent(s -> cb.call(s.publishThrottles())))
                .register(registry);
        CounterWithCallback.builder().name("jormundb_mqtt_slow_disconnects")
                .help("MQTT clients the embedded broker disconnected because their clean session's queue held more "
                        + "than 100,000 messages or 32 MB (they did not keep up).")
                .callback(cb -> Optional.ofNullable(sessions.get()).ifPresent(s -> cb.call(s.slowDisconnects())))
                .register(registry);
    }

    private void rocksDb(Store store) {
        rocksDbGauge("jormundb_rocksdb_memtable_bytes", "Bytes in RocksDB's memtables, every column family.",
                () -> store.familiesProperty("rocksdb.cur-size-all-mem-tables"));
        rocksDbGauge("jormundb_rocksdb_cache_capacity_bytes",
                "The memory RocksDB's block cache and memtables share (--cache-size).", store::cacheBytes);
        rocksDbGauge("jormundb_rocksdb_block_cache_bytes",
                "Bytes of --cache-size in use: cached blocks and the memtables charged to it.", store::cacheUsage);
        rocksDbGauge("jormundb_rocksdb_pending_compaction_bytes",
                "Bytes RocksDB estimates it has to compact, every column family.",
                () -> store.familiesProperty("rocksdb.estimate-pending-compaction-bytes"));
        rocksDbGauge("jormundb_rocksdb_sst_bytes", "Bytes of RocksDB's SST files, every column family.",
                () -> store.familiesProperty("rocksdb.total-sst-files-size"));
        rocksDbGauge("jormundb_rocksdb_background_errors", "Background errors RocksDB has had.",
                () -> store.property("rocksdb.background-errors"));
        CounterWithCallback.builder().name("jormundb_rocksdb_write_stall_seconds")
                .help("Time writes waited because RocksDB stalled them (compaction or memtables behind).")
                .callback(cb -> cb.call(Long.parseLong(store.mapProperty("rocksdb.dbstats")
                        .getOrDefault("db.user_write_stall_micros", "0")) / 1e6)).register(registry);
    }

    private void rocksDbGauge(String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong()))
                .register(registry);
    }
}
