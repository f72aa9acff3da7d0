package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /}: DynamoDB's health line for programs, the console for a person's browser. */
class RootTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @Test
    void aProgramGetsTheHealthLineAsText() throws Exception {
        HttpResponse<String> r = get(null);
        assertEquals(200, r.statusCode());
        assertEquals("healthy: jormundb " + Version.current(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(Version.current().matches("\\d+\\.\\d+\\.\\d+.*"), Version.current());
    }

    @Test
    void aBrowserIsSentOnToTheConsole() throws Exception {
        HttpResponse<String> r = get("text/html,application/xhtml+xml,*/*;q=0.8");
        assertEquals(302, r.statusCode());
        assertEquals("/console", r.headers().firstValue("Location").orElseThrow());
    }

    private static HttpResponse<String> get(String accept) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(SERVER.endpoint().resolve("/"));
            if (accept != null) {
                request.header("Accept", accept);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
