package io.jormundb.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads {@code GET /metrics} for the tests: one sample's value by its name and labels. */
public final class Metrics {
    private Metrics() {
    }

    /** The exposition text of the server at {@code endpoint}. */
    public static String scrape(URI endpoint) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        }
    }

    /**
     * The value of sample {@code series} (a name with its labels as exposed, e.g.
     * {@code jormundb_mqtt_publisher_lag{reader="mqtt"}}), or NaN when there is none.
     */
    public static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** {@link #value} of the server at {@code endpoint}. */
    public static double value(URI endpoint, String series) throws IOException, InterruptedException {
        return value(scrape(endpoint), series);
    }
}
