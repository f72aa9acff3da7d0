package io.jormundb.api.metrics;

import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** {@code GET /metrics}: the {@link ServerMetrics} in Prometheus' text exposition format. */
public final class MetricsEndpoint {
    private final ServerMetrics metrics;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsEndpoint(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    public void handle(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, metrics.registry().scrape());
        ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE).result(out.toByteArray());
    }
}
