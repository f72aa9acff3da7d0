package io.jormundb.api.sse;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes through the AWS SDK, as the feed tests' users make them. */
final class Tables {
    private Tables() {
    }

    /** A table keyed by {@code pk} (S), or by {@code pk} (S) and {@code sk} (N) when {@code withSortKey}. */
    static void create(DynamoDbClient client, String name, boolean withSortKey) {
        List<KeySchemaElement> keys = new ArrayList<>(List.of(
                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        List<AttributeDefinition> defs = new ArrayList<>(List.of(
                AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build()));
        if (withSortKey) {
            keys.add(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
            defs.add(AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build());
        }
        client.createTable(b -> b.tableName(name).keySchema(keys).attributeDefinitions(defs)
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    /** Puts {@code pk} with attribute {@code w} (a write id that tests look for in the feed). */
    static void put(DynamoDbClient client, String table, String pk, String w) {
        client.putItem(b -> b.tableName(table).item(Map.of("pk", s(pk), "w", s(w))));
    }

    /** Puts {@code pk}/{@code sk} with attribute {@code w}. */
    static void put(DynamoDbClient client, String table, String pk, int sk, String w) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s(pk));
        item.put("sk", AttributeValue.fromN(Integer.toString(sk)));
        item.put("w", s(w));
        client.putItem(b -> b.tableName(table).item(item));
    }

    static void delete(DynamoDbClient client, String table, String pk) {
        client.deleteItem(b -> b.tableName(table).key(Map.of("pk", s(pk))));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
