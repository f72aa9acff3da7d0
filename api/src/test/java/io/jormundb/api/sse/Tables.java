package io.jormundb.api.sse;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;

/** Writes through the AWS SDK, as the feed tests' users make them. */
final class Tables {
    private Tables() {
    }

    /** Puts {@code pk} with attribute {@code w} (a write id that tests look for in the feed). */
    static void put(DynamoDbClient client, String table, String pk, String w) {
        client.putItem(b -> b.tableName(table).item(Map.of("pk", s(pk), "w", s(w))));
    }

    /** Puts {@code pk}/{@code sk} with attribute {@code w}. */
    static void put(DynamoDbClient client, String table, String pk, int sk, String w) {
        client.putItem(b -> b.tableName(table).item(item("pk", s(pk), "sk", n(sk), "w", s(w))));
    }

    static void delete(DynamoDbClient client, String table, String pk) {
        client.deleteItem(b -> b.tableName(table).key(Map.of("pk", s(pk))));
    }
}
