package io.jormundb.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jormundb.api.Metrics.scrape;
import static io.jormundb.api.Metrics.value;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code GET /metrics}: Prometheus text that Prometheus' own parser accepts (promtool, from
 * Debian's prometheus package; CI installs it), with the numbers an operator watches.
 */
class MetricsTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void metricsCountItemsChangeRecordsAndFeedSubscribers() throws Exception {
        TestServer.with((server, client) -> {
            Sdk.createTable(client, "Metered");
            for (String id : new String[] {"a", "b", "c"}) {
                client.putItem(r -> r.tableName("Metered").item(Map.of("id", s(id))));
            }
            client.deleteItem(r -> r.tableName("Metered").key(Map.of("id", s("b"))));

            String text = scrape(server.endpoint());
            assertEquals(1, value(text, "jormundb_tables"), text);
            assertEquals(2, value(text, "jormundb_table_items{table=\"Metered\"}"), text);
            assertEquals(4, value(text, "jormundb_changelog_records{table=\"Metered\"}"), text);
            assertEquals(4, value(text, "jormundb_commit_version"), text);
            assertEquals(0, value(text, "jormundb_feed_subscribers"), text);

            try (EventStream feed = EventStream.connect(EventStream.changes(server.endpoint(), "Metered", Map.of()))) {
                await().until(() -> value(server.endpoint(), "jormundb_feed_subscribers") == 1);
                client.putItem(r -> r.tableName("Metered").item(Map.of("id", s("d"))));
                feed.next();
                await().until(() -> value(server.endpoint(), "jormundb_feed_events_delivered_total") == 1);
            }
        });
    }

    @Test
    void requestsAreCountedAndTimedPerOperationWithErrorsByType() throws Exception {
        TestServer.with((server, client) -> {
            Sdk.createTable(client, "Counted");
            client.putItem(r -> r.tableName("Counted").item(Map.of("id", s("a"))));
            client.putItem(r -> r.tableName("Counted").item(Map.of("id", s("b"))));
            assertThrows(Exception.class, () -> client.getItem(r -> r.tableName("Nope").key(Map.of("id", s("a")))));
            String text = scrape(server.endpoint());
            assertEquals(2, value(text, "jormundb_requests_total{operation=\"PutItem\"}"), text);
            assertEquals(1, value(text, "jormundb_requests_total{operation=\"GetItem\"}"), text);
            assertEquals(1, value(text,
                    "jormundb_request_errors_total{error=\"ResourceNotFoundException\",operation=\"GetItem\"}"), text);
            assertEquals(2, value(text, "jormundb_request_duration_seconds_count{operation=\"PutItem\"}"), text);
            assertEquals(2, value(text, "jormundb_request_duration_seconds_bucket{operation=\"PutItem\",le=\"+Inf\"}"));
            assertTrue(value(text, "jormundb_request_duration_seconds_sum{operation=\"PutItem\"}") > 0, text);
        });
    }

    @Test
    void theJvmAndRocksDbAreReported() throws Exception {
        TestServer.with((server, client) -> {
            String text = scrape(server.endpoint());
            assertTrue(value(text, "jvm_memory_used_bytes{area=\"heap\"}") > 0, text);
            assertTrue(value(text, "jvm_threads_current") > 0, text);
            assertTrue(value(text, "jormundb_rocksdb_memtable_bytes") > 0, text);
            assertEquals(0, value(text, "jormundb_rocksdb_background_errors"), text);
            for (String series : new String[] {"jormundb_rocksdb_block_cache_bytes",
                    "jormundb_rocksdb_pending_compaction_bytes", "jormundb_rocksdb_write_stall_seconds_total"}) {
                assertTrue(value(text, series) >= 0, () -> series + " in\n" + text);
            }
        });
    }

    @Test
    void theCacheSizeIsReportedWithWhatItHolds() throws Exception {
        try (TestServer server = TestServer.start(c -> c.with(b -> b.cacheSize(64L << 20)))) {
            Sdk.createTable(server.client(), "Cached");
            server.client().putItem(r -> r.tableName("Cached").item(Map.of("id", s("a"))));
            String text = scrape(server.endpoint());
            assertEquals(64 << 20, value(text, "jormundb_rocksdb_cache_capacity_bytes"), text);
            double used = value(text, "jormundb_rocksdb_block_cache_bytes");
            assertTrue(used > 0 && used <= 64 << 20, "the memtables are charged to the cache: " + used);
        }
    }

    @Test
    void prometheusOwnParserAcceptsTheExposition() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed (apt-get install prometheus); CI installs it");
        TestServer.with((server, client) -> {
            Sdk.createTable(client, "Parsed");
            client.putItem(r -> r.tableName("Parsed").item(Map.of("id", s("a"))));
            String text = scrape(server.endpoint());
            Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
            assertEquals(0, promtool.exitValue(), () -> "promtool check metrics:\n" + output + "\n\n" + text);
        });
    }
}
