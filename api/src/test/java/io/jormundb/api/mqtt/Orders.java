package io.jormundb.api.mqtt;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The table the MQTT tests write to: {@code Orders}, partition key {@code customer}, sort key {@code order}. */
final class Orders {
    private Orders() {
    }

    static void create(DynamoDbClient client) {
        client.createTable(b -> b.tableName("Orders")
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("customer").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("order").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("customer").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("order").keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    /** Puts an order with a total of 12.50. */
    static void put(DynamoDbClient client, String customer, String order) {
        client.putItem(b -> b.tableName("Orders").item(Map.of(
                "customer", AttributeValue.fromS(customer),
                "order", AttributeValue.fromS(order),
                "total", AttributeValue.fromN("12.50"))));
    }

    /** Puts orders {@code o} of customers {@code c<from>} to {@code c<to - 1>}. */
    static void putRange(DynamoDbClient client, int from, int to) {
        IntStream.range(from, to).forEach(i -> put(client, "c" + i, "o"));
    }

    /** The topics of the orders {@link #putRange} puts. */
    static Set<String> topics(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "jormundb/Orders/c" + i + "/o").collect(Collectors.toSet());
    }
}
