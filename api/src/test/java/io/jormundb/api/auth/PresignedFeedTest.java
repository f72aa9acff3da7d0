package io.jormundb.api.auth;

import io.jormundb.api.EventStream;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;


import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code --auth}, the feeds take SigV4 presigned URLs (made here by the SDK's own signer,
 * as a backend makes them for a browser), valid for reconnects until they expire; {@code /metrics}
 * and {@code /admin/*} take a key too, {@code /health} and {@code GET /} stay open.
 */
class PresignedFeedTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass(Keys::withAuth);
    private static final SdkSigner ORDERS = new SdkSigner(Keys.ORDERS.id(), Keys.ORDERS.secret());

    @BeforeAll
    static void tables() {
        createTable(SERVER.client(), "Orders");
        createTable(SERVER.client(), "Users");
    }

    private static URI feed(String pathAndQuery) {
        return SERVER.endpoint().resolve(pathAndQuery);
    }

    @Test
    void aPresignedFeedUrlFollowsTheTableAndResumesWithLastEventId() {
        URI url = ORDERS.presign(feed("/changes/Orders?since=now"), Duration.ofHours(1));
        String resumeFrom;
        try (EventStream stream = EventStream.connect(url)) {
            SERVER.client().putItem(r -> r.tableName("Orders").item(item("id", s("o1"))));
            assertEquals("o1", stream.next().keyText());
            resumeFrom = stream.lastEventId();
        }
        SERVER.client().putItem(r -> r.tableName("Orders").item(item("id", s("o2"))));
        try (EventStream again = EventStream.connect(url, "Last-Event-ID", resumeFrom)) {
            assertEquals("o2", again.next().keyText(), "the same URL, as EventSource reconnects");
        }
    }

    @Test
    void anExpiredPresignedUrlIsRefused() {
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        URI url = new SdkSigner(Keys.ORDERS.id(), Keys.ORDERS.secret()).clock(twoHoursAgo)
                .presign(feed("/changes/Orders"), Duration.ofHours(1));
        try (EventStream stream = EventStream.open(url)) {
            assertEquals(403, stream.status());
            assertEquals("AccessDeniedException", stream.error().path("error").asText());
            assertTrue(stream.error().path("message").asText().startsWith("Request has expired: X-Amz-Date "),
                    stream.error()::toString);
        }
    }

    @Test
    void aPresignedUrlOfOneTableOpensNoOther() {
        URI orders = ORDERS.presign(feed("/changes/Orders"), Duration.ofHours(1));
        URI tampered = URI.create(orders.toString().replace("/changes/Orders", "/changes/Users"));
        assertRefused(tampered, 403, "InvalidSignatureException");
        URI extraParameter = URI.create(orders + "&partitionKey=o1");
        assertRefused(extraParameter, 403, "InvalidSignatureException");
        // A signed filter cannot be swapped for another by naming the parameter twice: the signature
        // check would take one value and the feed the other.
        URI signedFilter = ORDERS.presign(feed("/changes/Orders?partitionKey=o1"), Duration.ofHours(1));
        String query = signedFilter.getRawQuery();
        URI swapped = URI.create(signedFilter.toString().replace("?" + query, "?partitionKey=o2&" + query));
        assertRefused(swapped, 403, "IncompleteSignatureException");
    }

    @Test
    void aKeyLimitedToSomeTablesOpensNeitherAnotherTablesFeedNorTheAllTablesFeed() {
        assertRefused(ORDERS.presign(feed("/changes/Users"), Duration.ofHours(1)), 403, "AccessDeniedException");
        assertRefused(ORDERS.presign(feed("/changes"), Duration.ofHours(1)), 403, "AccessDeniedException");
        SdkSigner reader = new SdkSigner(Keys.READER.id(), Keys.READER.secret());
        try (EventStream all = EventStream.connect(reader.presign(feed("/changes"), Duration.ofHours(1)))) {
            SERVER.client().putItem(r -> r.tableName("Users").item(item("id", s("u-all"))));
            assertEquals("u-all", all.next().keyText());
        }
    }

    @Test
    void aFeedWithoutSignatureIsRefused() {
        assertRefused(feed("/changes/Orders"), 401, "MissingAuthenticationTokenException");
    }

    @Test
    void metricsAndAdminTakeAKeyWhileHealthAndTheRootStayOpen() throws Exception {
        assertEquals(401, get("/metrics", null).statusCode());
        assertEquals("Basic realm=\"jormundb\"", get("/metrics", null).headers().firstValue("WWW-Authenticate")
                .orElse(null));
        assertEquals(403, get("/metrics", basic(Keys.ORDERS.id(), "wrong")).statusCode());
        HttpResponse<String> metrics = get("/metrics", basic(Keys.ORDERS.id(), Keys.ORDERS.secret()));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jormundb_"), metrics::body);
        try (EventStream presigned = EventStream.open(ORDERS.presign(feed("/metrics"), Duration.ofMinutes(5)))) {
            assertEquals(200, presigned.status(), "a presigned URL works too");
        }
        assertEquals(401, post("/admin/ttl/expire", null).statusCode());
        assertEquals(403, post("/admin/ttl/expire", basic(Keys.READER.id(), Keys.READER.secret())).statusCode());
        assertEquals("{\"expired\":0}", post("/admin/ttl/expire", basic(Keys.ADMIN.id(), Keys.ADMIN.secret())).body());
        assertEquals(200, get("/health", null).statusCode());
        assertEquals(200, get("/", null).statusCode());
        assertEquals(200, get("/console", null).statusCode(), "the page holds no data; its feed URL is presigned");
    }

    private static void assertRefused(URI url, int status, String error) {
        try (EventStream stream = EventStream.open(url)) {
            assertEquals(status, stream.status(), () -> String.valueOf(stream.error()));
            assertEquals(error, stream.error().path("error").asText(), () -> stream.error().toString());
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(feed(path)).GET(), authorization);
    }

    private static HttpResponse<String> post(String path, String authorization)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(feed(path)).POST(HttpRequest.BodyPublishers.noBody()), authorization);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String authorization)
            throws IOException, InterruptedException {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

}
