package io.jormundb.api.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jormundb.api.TestServer;
import org.awaitility.Awaitility;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A table's changelog read over SSE from its beginning ({@code GET /changes/{table}?since=trim_horizon}):
 * a virtual thread collects the JSON of every {@code data:} line until {@link #close}.
 */
final class ChangeFeed implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final InputStream body;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ChangeFeed(HttpClient http, InputStream body) {
        this.http = http;
        this.body = body;
        this.reader = Thread.ofVirtual().name("change-feed").start(this::read);
    }

    static ChangeFeed open(TestServer server, String table) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(server.endpoint() + "/changes/" + table + "?since=trim_horizon")).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return new ChangeFeed(http, response.body());
    }

    /** Waits until exactly {@code count} change records arrived, and returns them. */
    List<JsonNode> awaitRecords(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= count);
        assertEquals(count, events.size(), "change records on the feed");
        return new ArrayList<>(events);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data: ")) {
                    events.add(JSON.readTree(line.substring("data: ".length())));
                }
            }
        } catch (IOException e) {
            // Closed by close(), or the server went away: the events read so far stay.
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader.interrupt();
        http.close();
    }
}
