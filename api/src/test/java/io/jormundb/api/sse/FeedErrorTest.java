package io.jormundb.api.sse;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.api.EventStream;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import io.jormundb.api.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.createTable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refusals of the SSE endpoints: every one is a JSON error with the status of DESIGN.md (400
 * InvalidToken, 404 TableNotFound, 410 TokenExpired with a trim horizon that works), readable
 * from any origin, never a 500.
 */
class FeedErrorTest {
    /** Short, so records can be trimmed in a test; long enough that none is trimmed before it is read. */
    private static final Duration SHORT_RETENTION = Duration.ofSeconds(1);
    private TestServer server;
    private DynamoDbClient client;

    @BeforeEach
    void start() {
        start(Config.defaults().changelogRetention());
    }

    private void start(Duration retention) {
        server = TestServer.start(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)).withChangelogRetention(retention));
        client = server.client();
        createTable(client, "Orders", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        createTable(client, "Users", "pk", ScalarAttributeType.S);
    }

    private void restartWithShortRetention() {
        server.close();
        start(SHORT_RETENTION);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void malformedTruncatedAndTamperedTokensAreRefusedAsInvalidToken() {
        String token = firstToken("Orders");
        List<String> bad = new ArrayList<>(List.of("hello", "!!!not-base64!!!", "AAAA", "A", "NOW", token.substring(0, token.length() - 1), token.substring(0, token.length() / 2),
                token + "A", token + "=", token.substring(1), token.replace('A', 'B').equals(token) ? token + "x"
                        : token.replace('A', 'B')));
        for (int i = 0; i < token.length(); i += 3) {
            bad.add(token.substring(0, i) + (token.charAt(i) == 'Q' ? 'R' : 'Q') + token.substring(i + 1));
        }
        for (String t : bad) {
            assertRefused(400, "InvalidToken", EventStream.open(feed("Orders", Map.of("since", t))), t);
            assertRefused(400, "InvalidToken", EventStream.open(feed("Orders", Map.of()), "Last-Event-ID", t), t);
            assertRefused(400, "InvalidToken", EventStream.open(all(Map.of("since", t))), t);
        }
        assertRefused(400, "InvalidToken", EventStream.open(feed("Orders", Map.of("since", "été"))), "été");
        assertRefused(400, "InvalidToken", EventStream.open(feed("Orders", Map.of("since", "trim_horizon "))), "");
    }

    @Test
    void anotherTablesTokenIsRefusedAsInvalidTokenButTheAllTablesFeedTakesItsPosition() {
        String users = firstToken("Users");
        EventStream refused = EventStream.open(feed("Orders", Map.of("since", users)));
        assertRefused(400, "InvalidToken", refused, users);
        assertEquals("resume token belongs to another table, or to an earlier table named Orders that was deleted",
                refused.error().path("message").asText());
        Tables.put(client, "Users", "later", "after");
        try (EventStream all = EventStream.connect(all(Map.of("since", users)))) {
            assertEquals("later", all.next().keyText().split("/")[0]);
        }
    }

    @Test
    void anAllTablesTokenResumesATableCreatedAfterItFromItsStart() {
        String beforeLater;
        try (EventStream all = EventStream.connect(all(Map.of()))) {
            Tables.put(client, "Users", "u", "user");
            beforeLater = all.next().id();
        }
        createTable(client, "Later", "pk", ScalarAttributeType.S);
        Tables.put(client, "Later", "x", "later");
        try (EventStream later = EventStream.connect(feed("Later", Map.of("since", beforeLater)))) {
            assertEquals(List.of("later"), later.eventsUntilQuiet().stream().map(e -> e.attribute("w")).toList());
        }
    }

    @Test
    void anAllTablesTokenResumesOneTableFeed() {
        Tables.put(client, "Orders", "a", 1, "first");
        String token;
        try (EventStream all = EventStream.connect(all(Map.of("since", "trim_horizon")))) {
            token = all.next().id();
        }
        Tables.put(client, "Orders", "a", 2, "second");
        try (EventStream orders = EventStream.connect(feed("Orders", Map.of("since", token)))) {
            assertEquals("second", orders.next().attribute("w"));
            orders.assertNoMoreEvents();
        }
    }

    @Test
    void aDeletedTablesFeedEndsWithTableDeletedAndItsTokensAreRefusedOnceRecreated() {
        EventStream orders = EventStream.connect(feed("Orders", Map.of()));
        Tables.put(client, "Orders", "a", 1, "first");
        Event first = orders.next();
        client.deleteTable(b -> b.tableName("Orders"));
        Event deleted = orders.next();
        assertEquals("table-deleted", deleted.name());
        assertEquals("Orders", deleted.json().path("tableName").asText());
        assertFalse(deleted.id().isEmpty(), "every event has an id");
        orders.assertEnds();

        assertRefused(404, "TableNotFound", EventStream.open(feed("Orders", Map.of("since", first.id()))), "");
        createTable(client, "Orders", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (String old : List.of(first.id(), deleted.id())) {
            EventStream refused = EventStream.open(feed("Orders", Map.of("since", old)));
            assertRefused(400, "InvalidToken", refused, old);
            assertTrue(refused.error().path("message").asText().contains("deleted"), refused.error()::toString);
            assertRefused(400, "InvalidToken", EventStream.open(feed("Orders", Map.of()), "Last-Event-ID", old), old);
        }
    }

    @Test
    void anUnknownTableIsRefusedAsTableNotFound() {
        EventStream refused = EventStream.open(feed("Nope", Map.of()));
        assertRefused(404, "TableNotFound", refused, "");
        assertEquals("table Nope does not exist", refused.error().path("message").asText());
        assertRefused(404, "TableNotFound", EventStream.open(feed("Nope", Map.of("since", "trim_horizon"))), "");
    }

    @Test
    void badKeyFiltersAreRefusedAsInvalidParameter() {
        List<Map<String, String>> bad = List.of(
                Map.of("sortKey", "1"),
                Map.of("partitionKey", "a", "sortKey", "not-a-number"),
                Map.of("partitionKey", "a", "sortKey", "1e999"),
                Map.of("partitionKey", ""),
                Map.of("partitionKey", "a", "sortKey", ""));
        for (Map<String, String> params : bad) {
            assertRefused(400, "InvalidParameter", EventStream.open(feed("Orders", params)), params.toString());
        }
        // No key value is empty, so a filter of one would never match: refused, on every feed.
        EventStream empty = EventStream.open(feed("Users", Map.of("partitionKey", "")));
        assertRefused(400, "InvalidParameter", empty, "an empty partition key");
        assertEquals("key pk cannot be empty: no item has an empty key value", empty.error().path("message").asText());
        assertRefused(400, "InvalidParameter", EventStream.open(all(Map.of("partitionKey", ""))), "all tables");
        assertRefused(400, "InvalidParameter",
                EventStream.open(feed("Users", Map.of("partitionKey", "u", "sortKey", "1"))), "Users has no sort key");
    }

    @Test
    void anExpiredTokenIsRefusedWithATrimHorizonThatWorks() {
        restartWithShortRetention();
        String token;
        try (EventStream orders = EventStream.connect(feed("Orders", Map.of("since", "trim_horizon")))) {
            Tables.put(client, "Orders", "a", 1, "trimmed-1");
            Tables.put(client, "Orders", "a", 2, "trimmed-2");
            token = orders.next().id();
        }
        URI stale = feed("Orders", Map.of("since", token));
        awaitExpired(stale);

        EventStream refused = EventStream.open(stale);
        assertRefused(410, "TokenExpired", refused, token);
        String horizon = refused.error().path("trimHorizon").asText();
        assertRefused(410, "TokenExpired", EventStream.open(feed("Orders", Map.of()), "Last-Event-ID", token), token);
        try (EventStream resumed = EventStream.connect(feed("Orders", Map.of("since", horizon)))) {
            Tables.put(client, "Orders", "a", 3, "kept");
            assertEquals(List.of("kept"), resumed.eventsUntilQuiet().stream().map(e -> e.attribute("w")).toList());
        }
    }

    @Test
    void anExpiredAllTablesTokenIsRefusedWithAnAllTablesTrimHorizonThatWorks() {
        restartWithShortRetention();
        String token;
        try (EventStream all = EventStream.connect(all(Map.of("since", "trim_horizon")))) {
            Tables.put(client, "Users", "u", "trimmed-1");
            Tables.put(client, "Users", "u", "trimmed-2");
            token = all.next().id();
        }
        URI stale = all(Map.of("since", token));
        awaitExpired(stale);

        EventStream refused = EventStream.open(stale);
        assertRefused(410, "TokenExpired", refused, token);
        String horizon = refused.error().path("trimHorizon").asText();
        try (EventStream resumed = EventStream.connect(all(Map.of("since", horizon)))) {
            Tables.put(client, "Orders", "a", 1, "kept-order");
            Tables.put(client, "Users", "u", "kept-user");
            assertEquals(List.of("kept-order", "kept-user"),
                    resumed.eventsUntilQuiet().stream().map(e -> e.attribute("w")).sorted().toList());
        }
    }

    /** Trims until the records behind {@code stale} are gone (they must first be older than retention). */
    private void awaitExpired(URI stale) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            server.server().trimmer().trimNow();
            try (EventStream probe = EventStream.open(stale)) {
                assertTrue(probe.status() == 200 || probe.status() == 410, () -> "status " + probe.status());
                return probe.status() == 410;
            }
        });
    }

    /** The token of the first change of {@code table} (a fresh write). */
    private String firstToken(String table) {
        try (EventStream s = EventStream.connect(feed(table, Map.of()))) {
            if (table.equals("Orders")) {
                Tables.put(client, table, "t", 1, "token");
            } else {
                Tables.put(client, table, "t", "token");
            }
            return s.next().id();
        }
    }

    private static void assertRefused(int status, String error, EventStream response, String input) {
        try (response) {
            assertEquals(status, response.status(), () -> "status for " + input + ": " + response.error());
            JsonNode body = response.error();
            assertEquals(error, body.path("error").asText(), () -> "error for " + input + ": " + body);
            assertFalse(body.path("message").asText().isBlank(), () -> "message for " + input + ": " + body);
            assertTrue(response.header("Content-Type").startsWith("application/json"), response.header("Content-Type"));
            assertEquals("*", response.header("Access-Control-Allow-Origin"));
        }
    }

    private URI feed(String table, Map<String, String> params) {
        return EventStream.changes(server.endpoint(), table, params);
    }

    private URI all(Map<String, String> params) {
        return EventStream.changes(server.endpoint(), params);
    }
}
