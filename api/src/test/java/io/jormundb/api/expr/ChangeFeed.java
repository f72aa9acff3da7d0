package io.jormundb.api.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads change records over the server's SSE endpoint ({@code GET /changes/{table}}) from the
 * start of the changelog: the first {@code count} events of one item's partition key, each the
 * record's JSON with its {@code event:} name, in the order the server sent them.
 */
final class ChangeFeed {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One SSE event: its {@code event:} field and its {@code data:} JSON. */
    record Event(String name, JsonNode record) {
        JsonNode oldImage() {
            return record.path("dynamodb").path("OldImage");
        }

        JsonNode newImage() {
            return record.path("dynamodb").path("NewImage");
        }
    }

    private ChangeFeed() {
    }

    /** The first {@code count} events of items with partition key {@code pk}; fails after 10 s. */
    static List<Event> read(URI endpoint, String table, String pk, int count) {
        URI uri = endpoint.resolve("/changes/" + table + "?since=trim_horizon&partitionKey="
                + URLEncoder.encode(pk, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
        try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            InputStream body = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
            try (body) {
                Future<List<Event>> events = reader.submit(() -> events(body, count));
                return events.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("fewer than " + count + " change events for " + table + "/" + pk, e);
            } catch (ExecutionException e) {
                throw new AssertionError("cannot read change events", e.getCause());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<Event> events(InputStream body, int count) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        List<Event> out = new ArrayList<>();
        String name = null;
        String line;
        while (out.size() < count && (line = lines.readLine()) != null) {
            if (line.startsWith("event: ")) {
                name = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                out.add(new Event(name, JSON.readTree(line.substring("data: ".length()))));
            }
        }
        return out;
    }
}
