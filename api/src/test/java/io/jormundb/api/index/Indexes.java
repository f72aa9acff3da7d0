package io.jormundb.api.index;

import io.jormundb.api.Sdk;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/** Short forms for the index tests: key schemas, projections, definitions, paging, waiting for ACTIVE. */
final class Indexes {
    private Indexes() {
    }

    static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    static AttributeDefinition def(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static Projection all() {
        return Projection.builder().projectionType(ProjectionType.ALL).build();
    }

    static Projection keysOnly() {
        return Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build();
    }

    static Projection include(String... attributes) {
        return Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes(attributes).build();
    }

    static GlobalSecondaryIndex gsi(String name, Projection projection, KeySchemaElement... keys) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(keys).projection(projection).build();
    }

    static LocalSecondaryIndex lsi(String name, Projection projection, KeySchemaElement... keys) {
        return LocalSecondaryIndex.builder().indexName(name).keySchema(keys).projection(projection).build();
    }

    /** An on-demand table with the given key schema, definitions, local and global indexes (either may be empty). */
    static String createTable(DynamoDbClient client, String name, List<KeySchemaElement> keys,
                              List<AttributeDefinition> defs, List<LocalSecondaryIndex> locals,
                              List<GlobalSecondaryIndex> globals) {
        client.createTable(r -> {
            r.tableName(name).keySchema(keys).attributeDefinitions(defs).billingMode(BillingMode.PAY_PER_REQUEST);
            if (!locals.isEmpty()) {
                r.localSecondaryIndexes(locals);
            }
            if (!globals.isEmpty()) {
                r.globalSecondaryIndexes(globals);
            }
        });
        return name;
    }

    /** Every page of a Query (each with {@code request} applied), until one has no LastEvaluatedKey. */
    static List<QueryResponse> queryPages(DynamoDbClient client, UnaryOperator<QueryRequest.Builder> request) {
        return Sdk.pages(start -> client.query(r -> request.apply(r).exclusiveStartKey(start)),
                QueryResponse::lastEvaluatedKey);
    }

    /** Every page of a Scan. */
    static List<ScanResponse> scanPages(DynamoDbClient client, UnaryOperator<ScanRequest.Builder> request) {
        return Sdk.pages(start -> client.scan(r -> request.apply(r).exclusiveStartKey(start)),
                ScanResponse::lastEvaluatedKey);
    }

    /** The items of every page, in order. */
    static List<Map<String, AttributeValue>> items(List<QueryResponse> pages) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        pages.forEach(p -> out.addAll(p.items()));
        return out;
    }

    /** The string (or number) values of {@code attribute} in {@code items}, in order. */
    static List<String> values(List<Map<String, AttributeValue>> items, String attribute) {
        return items.stream().map(i -> i.get(attribute)).map(v -> v == null ? null : v.s() != null ? v.s() : v.n())
                .toList();
    }

    /** Waits until every global index of {@code table} is ACTIVE. */
    static void awaitActive(DynamoDbClient client, String table) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                client.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().stream()
                        .allMatch(i -> i.indexStatus() == IndexStatus.ACTIVE));
    }
}
