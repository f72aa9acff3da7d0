package io.jormundb.api.http;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CORS on every endpoint, as browsers check it: preflights answered with the methods and the
 * headers the AWS SDKs send, the SDKs' response headers exposed, and {@code --cors-origins}
 * deciding which pages may call.
 */
class CorsTest {
    private static final String PAGE = "http://app.example.com:3000";
    private static final String SDK_HEADERS = "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,"
            + "x-amz-date,x-amz-security-token,x-amz-target,x-amz-user-agent";

    @Test
    void aPreflightOfEveryEndpointIsAnsweredWithTheSdksHeaders() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String path : List.of("/", "/changes", "/changes/Orders", "/health", "/metrics")) {
                HttpResponse<String> r = send(server.endpoint(), "OPTIONS", path, Map.of("Origin", PAGE,
                        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", SDK_HEADERS));
                assertEquals(200, r.statusCode(), path);
                assertEquals("*", header(r, "Access-Control-Allow-Origin"), path);
                assertEquals("GET, POST, OPTIONS", header(r, "Access-Control-Allow-Methods"), path);
                assertEquals(SDK_HEADERS, header(r, "Access-Control-Allow-Headers"), path);
                assertEquals("86400", header(r, "Access-Control-Max-Age"), path);
            }
            HttpResponse<String> noList = send(server.endpoint(), "OPTIONS", "/", Map.of("Origin", PAGE,
                    "Access-Control-Request-Method", "POST"));
            assertTrue(header(noList, "Access-Control-Allow-Headers").contains("X-Amz-Target"));
        }
    }

    @Test
    void answersToAPageExposeTheSdksResponseHeaders() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> r = send(server.endpoint(), "POST", "/", Map.of("Origin", PAGE,
                    "X-Amz-Target", "DynamoDB_20120810.ListTables", "Content-Type", "application/x-amz-json-1.0"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("*", header(r, "Access-Control-Allow-Origin"));
            assertEquals("x-amzn-RequestId, x-amz-crc32, x-amz-id-2, Date", header(r, "Access-Control-Expose-Headers"));
            HttpResponse<String> noTable = send(server.endpoint(), "GET", "/changes/Nope", Map.of("Origin", PAGE));
            assertEquals(404, noTable.statusCode());
            assertEquals("*", header(noTable, "Access-Control-Allow-Origin"), "errors are readable too");
        }
    }

    @Test
    void onlyTheConfiguredOriginsMayCall() throws Exception {
        try (TestServer server = TestServer.start(cfg -> cfg.with(b -> b.corsOrigins(List.of(PAGE))))) {
            HttpResponse<String> allowed = send(server.endpoint(), "OPTIONS", "/", Map.of("Origin", PAGE,
                    "Access-Control-Request-Method", "POST"));
            assertEquals(200, allowed.statusCode());
            assertEquals(PAGE, header(allowed, "Access-Control-Allow-Origin"));
            assertEquals("Origin", header(allowed, "Vary"));

            HttpResponse<String> other = send(server.endpoint(), "OPTIONS", "/", Map.of("Origin", "https://evil.example",
                    "Access-Control-Request-Method", "POST"));
            assertEquals(403, other.statusCode());
            assertEquals("{\"error\":\"CorsOriginNotAllowed\",\"message\":\"origin https://evil.example is not in "
                    + "--cors-origins\"}", other.body());
            HttpResponse<String> get = send(server.endpoint(), "GET", "/health", Map.of("Origin", "https://evil.example"));
            assertEquals(200, get.statusCode());
            assertEquals("", header(get, "Access-Control-Allow-Origin"), "no grant: the browser keeps the answer from the page");
            assertEquals("Origin", header(get, "Vary"), "a shared cache keeps the refused origin's answer apart");
        }
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    private static HttpResponse<String> send(URI endpoint, String method, String path, Map<String, String> headers)
            throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path))
                    .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                            : HttpRequest.BodyPublishers.noBody());
            headers.forEach(b::header);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
