package io.jormundb.api;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.function.Function;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short forms for SDK values, tables and expected errors, shared by the end-to-end tests. */
public final class Sdk {
    private Sdk() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    public static AttributeValue b(int... unsignedBytes) {
        byte[] bytes = new byte[unsignedBytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) unsignedBytes[i];
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
    }

    /** An item from name/value pairs: {@code item("id", s("a"), "n", n("1"))}. */
    public static Map<String, AttributeValue> item(Object... namesAndValues) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return item;
    }

    /** Creates an on-demand table keyed by {@code hash} (and {@code range} when not null). */
    public static void createTable(DynamoDbClient client, String name, String hash, ScalarAttributeType hashType,
                                   String range, ScalarAttributeType rangeType) {
        List<KeySchemaElement> keys = new ArrayList<>();
        List<AttributeDefinition> defs = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
        defs.add(AttributeDefinition.builder().attributeName(hash).attributeType(hashType).build());
        if (range != null) {
            keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
            defs.add(AttributeDefinition.builder().attributeName(range).attributeType(rangeType).build());
        }
        client.createTable(r -> r.tableName(name).keySchema(keys).attributeDefinitions(defs)
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    /** Creates an on-demand table with a string partition key {@code id}. */
    public static void createTable(DynamoDbClient client, String name) {
        createTable(client, name, "id", ScalarAttributeType.S, null, null);
    }

    /**
     * Runs {@code call} and expects DynamoDB error {@code code} (the name after {@code #} in
     * {@code __type}; the SDK models only some of them as classes) with HTTP 400 and exactly
     * {@code message}.
     */
    public static DynamoDbException assertDynamoError(String code, String message, Executable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call);
        assertEquals(code, e.awsErrorDetails().errorCode(), () -> "error code of " + e);
        assertEquals(message, e.awsErrorDetails().errorMessage(), () -> "error message of " + e);
        assertEquals(400, e.statusCode(), () -> "HTTP status of " + e);
        return e;
    }

    /** A ValidationException with exactly {@code message}. */
    public static void assertValidation(String message, Executable call) {
        assertDynamoError("ValidationException", message, call);
    }

    /**
     * Every page of a Query or Scan: calls {@code page} with the previous page's
     * LastEvaluatedKey ({@code null} first) until a page has none.
     */
    public static <R> List<R> pages(Function<Map<String, AttributeValue>, R> page,
                                    Function<R, Map<String, AttributeValue>> lastEvaluatedKey) {
        List<R> pages = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            R response = page.apply(start);
            pages.add(response);
            Map<String, AttributeValue> last = lastEvaluatedKey.apply(response);
            start = last.isEmpty() ? null : last;
        } while (start != null);
        return pages;
    }
}
