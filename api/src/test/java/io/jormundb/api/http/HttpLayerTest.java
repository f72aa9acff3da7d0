package io.jormundb.api.http;

import io.jormundb.api.EventStream;
import io.jormundb.api.RawHttp;
import io.jormundb.api.TestServer;
import io.jormundb.api.auth.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the HTTP layer itself answers, on raw sockets: broken framing, oversized headers and URIs,
 * unknown paths and methods are JSON in the shape of their endpoint (DynamoDB's on {@code /},
 * the feeds' elsewhere), never HTML or a 500; headers and bodies that trickle meet a deadline;
 * connections beyond the cap wait until one closes. See docs/limits.md.
 */
class HttpLayerTest {
    private static final String DYNAMO = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0"
            + "\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n";

    private static void assertDynamoError(RawHttp.Response response, int status, String type) {
        assertEquals(status, response.status(), response::text);
        assertEquals("application/x-amz-json-1.0", response.headers().get("content-type"), response::text);
        assertEquals(type, response.dynamoType(), response::text);
        assertFalse(response.json().path("message").asText().isBlank(), response::text);
    }

    private static void assertFeedError(RawHttp.Response response, int status, String name) {
        assertEquals(status, response.status(), response::text);
        assertEquals("application/json", response.headers().get("content-type"), response::text);
        assertEquals(name, response.json().path("error").asText(), response::text);
        assertFalse(response.json().path("message").asText().isBlank(), response::text);
    }

    private static RawHttp.Response exchange(TestServer server, String request) {
        try (RawHttp http = new RawHttp(server.port())) {
            return http.send(request).response();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-1", "2;" + "x"})
    void aMalformedChunkedBodyIsA400InDynamoDbJson(String chunkHead) throws Exception {
        String head = chunkHead.endsWith("x") ? chunkHead + "x".repeat(100 * 1024) : chunkHead;
        TestServer.with((server, client) -> {
            assertDynamoError(exchange(server, DYNAMO + "Transfer-Encoding: chunked\r\n\r\n" + head + "\r\n{}\r\n0\r\n\r\n"),
                    400, "SerializationException");
            assertEquals(0, client.listTables().tableNames().size(), "the server goes on serving");
        });
    }

    /**
     * Transfer-Encoding is chunked or nothing: Jetty read "gzip, chunked" (or "foo" then "chunked")
     * as chunked and ran the request, where a proxy in front may read the body otherwise (request
     * smuggling). Refused, and the connection closed, before anything runs.
     */
    @Test
    void aTransferEncodingOtherThanChunkedIsRefusedBeforeAnythingRuns() throws Exception {
        TestServer.with((server, client) -> {
            String table = createTable(client, "Framed");
            String put = "{\"TableName\":\"" + table + "\",\"Item\":{\"id\":{\"S\":\"smuggled\"}}}";
            String head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.PutItem\r\n";
            String chunked = Integer.toHexString(put.length()) + "\r\n" + put + "\r\n0\r\n\r\n";
            for (String encoding : List.of("Transfer-Encoding: gzip, chunked\r\n",
                    "Transfer-Encoding: nonsense\r\nTransfer-Encoding: chunked\r\n")) {
                try (RawHttp http = new RawHttp(server.port())) {
                    assertDynamoError(http.send(head + encoding + "\r\n" + chunked).response(), 400,
                            "SerializationException");
                    assertTrue(http.timeout(Duration.ofSeconds(5)).closedByServer(), encoding);
                }
            }
            assertEquals(0, client.scan(r -> r.tableName(table)).count(), "nothing was written");
        });
    }

    /**
     * A body of broken framing is refused on every path before its handler runs: off "/", whose
     * handler reads its own body, the handlers read none, and ran (a checkpoint taken, a TTL pass,
     * a feed opened) before the connection closed on the body.
     */
    @Test
    void brokenFramingOffTheApiIsRefusedBeforeTheHandlerRuns(@TempDir Path temp) throws Exception {
        TestServer.with((server, client) -> {
            Path checkpoint = temp.resolve("checkpoint");
            assertFeedError(exchange(server, "POST /admin/checkpoint?directory=" + checkpoint + " HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"), 400, "BadRequest");
            assertFalse(Files.exists(checkpoint), "no checkpoint was taken");
            assertFeedError(exchange(server, "GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "-1\r\n"), 400, "BadRequest");
        });
    }

    @Test
    void oversizedHeadersAndUrisAnswerInTheShapeOfTheirEndpoint() throws Exception {
        String big = "X-Big: " + "b".repeat(20_000) + "\r\n";
        TestServer.with((server, client) -> {
            assertDynamoError(exchange(server, DYNAMO + big + "Content-Length: 2\r\n\r\n{}"), 431,
                    "RequestHeaderFieldsTooLarge");
            assertFeedError(exchange(server, "GET /changes HTTP/1.1\r\nHost: x\r\n" + big + "\r\n"), 431,
                    "RequestHeaderFieldsTooLarge");
            // A request line that cannot be read names no endpoint: DynamoDB's shape, the main API's.
            assertDynamoError(exchange(server, "GET /changes/" + "t".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                    414, "RequestUriTooLong");
            assertDynamoError(exchange(server, "GARBAGE\r\n\r\n"), 400, "SerializationException");
            // Another HTTP version is the client's fault like any unreadable request: a 400, never a 5xx.
            assertDynamoError(exchange(server, "POST / HTTP/9.9\r\nHost: x\r\n\r\n"), 400, "SerializationException");
        });
    }

    /**
     * HEAD answers what GET would, without the body (RFC 9110 9.3.2): the same status, checks and
     * Content-Length. Javalin answered every HEAD of a GET route 200 with an empty body itself,
     * without the route's handler: not its length, not its checks (a key for /metrics).
     */
    @Test
    void headAnswersAsGetWouldWithoutTheBody() throws Exception {
        TestServer.with((server, client) -> {
            for (String path : List.of("/", "/health", "/metrics")) {
                RawHttp.Response get = exchange(server, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response head;
                try (RawHttp http = new RawHttp(server.port())) {
                    head = http.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").headResponse();
                }
                assertEquals(get.status(), head.status(), path);
                assertEquals(get.headers().get("content-type"), head.headers().get("content-type"), path);
                if (get.headers().containsKey("content-length")) {
                    assertEquals(get.headers().get("content-length"), head.headers().get("content-length"), path);
                }
            }
            // A feed is opened by GET only: HEAD cannot open it, and says so.
            try (RawHttp http = new RawHttp(server.port())) {
                RawHttp.Response head = http.send("HEAD /changes HTTP/1.1\r\nHost: x\r\n\r\n").headResponse();
                assertEquals(405, head.status());
                assertEquals("GET", head.headers().get("allow"));
            }
        });
        try (TestServer server = TestServer.start(Keys::withAuth); RawHttp http = new RawHttp(server.port())) {
            assertEquals(401, http.send("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n").headResponse().status());
        }
    }

    @Test
    void unknownPathsAndMethodsAreJsonErrors() throws Exception {
        TestServer.with((server, client) -> {
            assertFeedError(exchange(server, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "NotFound");
            assertFeedError(exchange(server, "DELETE /changes HTTP/1.1\r\nHost: x\r\n\r\n"), 405, "MethodNotAllowed");
            assertDynamoError(exchange(server, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 405,
                    "UnknownOperationException");
        });
    }

    @Test
    void headersThatTrickleAreCutOffAtTheDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        try (TestServer server = TestServer.start(c -> c.with(b -> b.requestHeaderTimeout(deadline)));
             RawHttp http = new RawHttp(server.port());
             ExecutorService trickle = Executors.newSingleThreadExecutor()) {
            http.send("POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            long start = System.nanoTime();
            http.trickle(trickle, "a", 100);
            assertTrue(http.timeout(Duration.ofSeconds(10)).closedByServer(), "cut off");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 900 && took < 5_000, "cut off after " + took + " ms");
            trickle.shutdownNow();
        }
    }

    @Test
    void aBodyThatTricklesOrStopsIsA408AtTheDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        try (TestServer server = TestServer.start(c -> c.with(b -> b.requestBodyTimeout(deadline)))) {
            try (RawHttp http = new RawHttp(server.port()); ExecutorService trickle = Executors.newSingleThreadExecutor()) {
                http.send(DYNAMO + "Content-Length: 100\r\n\r\n{");
                http.trickle(trickle, " ", 50);
                RawHttp.Response response = http.timeout(Duration.ofSeconds(10)).response();
                assertDynamoError(response, 408, "RequestTimeoutException");
                assertEquals("close", response.headers().get("connection"));
                trickle.shutdownNow();
            }
            try (RawHttp silent = new RawHttp(server.port())) {
                RawHttp.Response response = silent.send(DYNAMO + "Content-Length: 100\r\n\r\n{")
                        .timeout(Duration.ofSeconds(10)).response();
                assertDynamoError(response, 408, "RequestTimeoutException");
            }
            assertEquals(0, server.client().listTables().tableNames().size(), "the server goes on serving");
        }
    }

    @Test
    void connectionsBeyondTheCapWaitUntilOneCloses() throws Exception {
        try (TestServer server = TestServer.start(c -> c.with(b -> b.maxConnections(2)));
             RawHttp first = new RawHttp(server.port());
             RawHttp second = new RawHttp(server.port())) {
            String health = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
            assertEquals(200, first.send(health).response().status());
            assertEquals(200, second.send(health).response().status());
            try (RawHttp third = new RawHttp(server.port())) {
                third.send(health).timeout(Duration.ofSeconds(1));
                UncheckedIOException waiting = assertThrows(UncheckedIOException.class, third::response);
                assertInstanceOf(SocketTimeoutException.class, waiting.getCause(), "the third waits, unanswered");
                first.close();
                assertEquals(200, third.timeout(Duration.ofSeconds(20)).response().status(),
                        "answered once the first closed");
            }
        }
    }

    /**
     * At the cap, idle connections close after {@link HttpLimits#IDLE_AT_CAP} (they kept their
     * 120 s), so that a waiting one gets in; an SSE feed, which writes a heartbeat more often than
     * that, stays open.
     */
    @Test
    void atTheCapIdleConnectionsCloseSoonSoThatAWaitingOneGetsInAndFeedsStayOpen() throws Exception {
        try (TestServer server = TestServer.start(c -> c.with(b -> b.maxConnections(2).sseHeartbeat(Duration.ofSeconds(1))));
             RawHttp idle = new RawHttp(server.port());
             EventStream feed = EventStream.open(server.endpoint().resolve("/changes"))) {
            String health = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
            assertEquals(200, idle.send(health).response().status());
            try (RawHttp waiting = new RawHttp(server.port())) {
                long start = System.nanoTime();
                assertEquals(200, waiting.send(health).timeout(HttpLimits.IDLE_AT_CAP.plusSeconds(15)).response()
                        .status(), "answered once the idle one was closed");
                // The idle client ignores the server's FIN: its place is freed then all the same
                // (it was held for another idle timeout, until the close after the FIN).
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited < HttpLimits.IDLE_AT_CAP.plusSeconds(4).toMillis(), "waited " + waited + " ms");
            }
            String table = createTable(server.client(), "AtCap");
            server.client().putItem(r -> r.tableName(table).item(item("id", s("after"))));
            assertEquals("after", feed.next().attribute("id"), "the feed stayed open");
        }
    }
}
