package io.jormundb.api.fault;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Base64;
import java.util.Random;

/** What the fault tests share: a table keyed by {@code pk} (S), and values that do not compress. */
final class Faults {
    private Faults() {
    }

    static void createTable(DynamoDbClient client, String table) {
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }

    /** {@code bytes} random bytes, the same for the same {@code seed}. */
    static byte[] incompressible(int bytes, long seed) {
        byte[] value = new byte[bytes];
        new Random(seed).nextBytes(value);
        return value;
    }

    /** A PutItem body for {@code table} of item {@code pk} with a binary value of {@code bytes}. */
    static String putItemJson(String table, String pk, int bytes) {
        return "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"" + pk + "\"},\"v\":{\"B\":\""
                + Base64.getEncoder().encodeToString(incompressible(bytes, pk.hashCode())) + "\"}}}";
    }
}
