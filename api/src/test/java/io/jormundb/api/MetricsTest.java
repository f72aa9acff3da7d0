package io.jormundb.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    @Test
    void metricsCountItemsChangeRecordsAndFeedSubscribers() throws Exception {
        TestServer.with((server, client) -> {
            Sdk.createTable(client, "Metered");
            for (String id : new String[] {"a", "b", "c"}) {
                client.putItem(r -> r.tableName("Metered").item(Map.of("id", s(id))));
            }
            client.deleteItem(r -> r.tableName("Metered").key(Map.of("id", s("b"))));

            String text = scrape(server.endpoint());
            assertTrue(text.contains("\njormundb_tables 1\n"), text);
            assertTrue(text.contains("\njormundb_table_items{table=\"Metered\"} 2\n"), text);
            assertTrue(text.contains("\njormundb_changelog_records{table=\"Metered\"} 4\n"), text);
            assertTrue(text.contains("\njormundb_feed_subscribers 0\n"), text);

            try (EventStream feed = EventStream.connect(EventStream.changes(server.endpoint(), "Metered", Map.of()))) {
                assertEquals(200, feed.status());
                await().untilAsserted(() ->
                        assertTrue(scrape(server.endpoint()).contains("\njormundb_feed_subscribers 1\n")));
            }
        });
    }

    private static String scrape(URI endpoint) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return response.body();
    }
}
