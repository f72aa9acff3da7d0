package io.jormundb.api.metrics;

import io.javalin.http.Context;
import io.jormundb.broker.PublisherStatus;
import io.jormundb.broker.SessionsStatus;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.write.WritePath;
import io.jormundb.streams.feed.LiveTail;
import io.jormundb.streams.log.Changelog;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: Prometheus text exposition of what an operator watches — items and bytes
 * per table, changelog records kept per table, live feed subscribers, how far each MQTT publisher
 * is behind the changelog head and what a restart would publish again, and the embedded broker's
 * persistent sessions. Computed from in-memory heads on each scrape.
 */
public final class MetricsEndpoint {
    private final Engine engine;
    private final Changelog changelog;
    private final LiveTail liveTail;
    private final Supplier<List<PublisherStatus>> publishers;
    private final Supplier<SessionsStatus> sessions;

    /** @param sessions the embedded broker's persistent sessions, or {@code null} from it when there is no embedded broker */
    public MetricsEndpoint(Engine engine, Changelog changelog, LiveTail liveTail,
                           Supplier<List<PublisherStatus>> publishers, Supplier<SessionsStatus> sessions) {
        this.engine = engine;
        this.changelog = changelog;
        this.liveTail = liveTail;
        this.publishers = publishers;
        this.sessions = sessions;
    }

    public void handle(Context ctx) {
        StringBuilder out = new StringBuilder(1024);
        List<TableDefinition> tables = engine.catalog().list();
        gauge(out, "jormundb_tables", "Tables in the catalog.");
        out.append("jormundb_tables ").append(tables.size()).append('\n');
        List<WritePath.TableStats> stats = tables.stream().map(engine.writePath()::stats).toList();
        gauge(out, "jormundb_table_items", "Items in a table.");
        for (int i = 0; i < tables.size(); i++) {
            out.append("jormundb_table_items{table=\"").append(tables.get(i).name()).append("\"} ")
                    .append(stats.get(i).itemCount()).append('\n');
        }
        gauge(out, "jormundb_table_size_bytes", "Total item size of a table, as DynamoDB sizes items.");
        for (int i = 0; i < tables.size(); i++) {
            out.append("jormundb_table_size_bytes{table=\"").append(tables.get(i).name()).append("\"} ")
                    .append(stats.get(i).sizeBytes()).append('\n');
        }
        gauge(out, "jormundb_changelog_records", "Change records of a table still kept.");
        for (TableDefinition t : tables) {
            long kept = changelog.recordsKept(t);
            out.append("jormundb_changelog_records{table=\"").append(t.name()).append("\"} ").append(kept).append('\n');
        }
        gauge(out, "jormundb_feed_subscribers", "Readers following the live tail (SSE feeds and MQTT publishers).");
        out.append("jormundb_feed_subscribers ").append(liveTail.subscriberCount()).append('\n');
        List<PublisherStatus> statuses = publishers.get();
        gauge(out, "jormundb_mqtt_publisher_lag", "Commit versions an MQTT publisher has not published yet.");
        for (PublisherStatus p : statuses) {
            out.append("jormundb_mqtt_publisher_lag{reader=\"").append(p.reader()).append("\"} ")
                    .append(p.lag()).append('\n');
        }
        out.append("# HELP jormundb_mqtt_published_total Messages an MQTT publisher's target took since start.\n")
                .append("# TYPE jormundb_mqtt_published_total counter\n");
        for (PublisherStatus p : statuses) {
            out.append("jormundb_mqtt_published_total{reader=\"").append(p.reader()).append("\"} ")
                    .append(p.published()).append('\n');
        }
        gauge(out, "jormundb_mqtt_publisher_resend", "Commit versions a restart now would publish again (what "
                + "persistent sessions have not acknowledged, as written to RocksDB).");
        for (PublisherStatus p : statuses) {
            out.append("jormundb_mqtt_publisher_resend{reader=\"").append(p.reader()).append("\"} ")
                    .append(p.resend()).append('\n');
        }
        SessionsStatus persistent = sessions.get();
        if (persistent != null) {
            gauge(out, "jormundb_mqtt_persistent_sessions", "Persistent sessions of the embedded MQTT broker.");
            out.append("jormundb_mqtt_persistent_sessions ").append(persistent.sessions()).append('\n');
            gauge(out, "jormundb_mqtt_unacknowledged", "Messages routed to persistent sessions at QoS 1 that their "
                    + "clients have not acknowledged yet.");
            out.append("jormundb_mqtt_unacknowledged ").append(persistent.unacknowledged()).append('\n');
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(out.toString());
    }

    private static void gauge(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
    }
}
