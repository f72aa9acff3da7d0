package io.jormundb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Raw HTTP to a JormunDB, for what an SDK never sends: malformed JSON, wrong JSON types, a
 * missing or unknown {@code X-Amz-Target}, other content types, oversized bodies, odd headers.
 */
public final class Wire {
    /** The content type the AWS SDKs use for DynamoDB. */
    public static final String JSON_1_0 = "application/x-amz-json-1.0";
    public static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public Wire(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** POSTs {@code body} to operation {@code operation} ({@code "PutItem"}) as an SDK would. */
    public Reply post(String operation, String body) {
        return post(headers(operation), body.getBytes(StandardCharsets.UTF_8));
    }

    /** The headers an SDK sends for {@code operation}, to adjust. */
    public static Map<String, String> headers(String operation) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON_1_0);
        headers.put("X-Amz-Target", TARGET_PREFIX + operation);
        return headers;
    }

    public Reply post(Map<String, String> headers, byte[] body) {
        return post("/", headers, body);
    }

    /** POSTs {@code body} to {@code pathAndQuery} ({@code /?X-Amz-Signature=…}). */
    public Reply post(String pathAndQuery, Map<String, String> headers, byte[] body) {
        return send(request(pathAndQuery, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** POSTs a body of unknown length (sent chunked, without Content-Length). */
    public Reply postChunked(Map<String, String> headers, Supplier<InputStream> body) {
        return send(request("/", headers).POST(HttpRequest.BodyPublishers.ofInputStream(body)).build());
    }

    public Reply get(String path) {
        return send(request(path, Map.of()).GET().build());
    }

    /** POSTs an empty body to {@code path} (an admin endpoint such as {@code /admin/ttl/expire}). */
    public Reply postEmpty(String path) {
        return send(request(path, Map.of()).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        return b;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One HTTP response. */
    public record Reply(int status, Map<String, java.util.List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response is not JSON: " + text(), e);
            }
        }

        /** The value of a header, or {@code null}; names compare case-insensitively. */
        public String header(String name) {
            for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }

        /** The error name after {@code #} in {@code __type}, as the SDKs read it. */
        public String errorType() {
            String type = json().path("__type").asText();
            return type.substring(type.indexOf('#') + 1);
        }

        public String message() {
            JsonNode json = json();
            return json.has("message") ? json.get("message").asText() : json.path("Message").asText();
        }

        /** Asserts the status, the error name and the exact message. */
        public void assertError(int expectedStatus, String expectedType, String expectedMessage) {
            assertEquals(expectedStatus, status, () -> "status of " + text());
            assertEquals(expectedType, errorType(), () -> "error type of " + text());
            assertEquals(expectedMessage, message(), () -> "message of " + text());
        }
    }
}
