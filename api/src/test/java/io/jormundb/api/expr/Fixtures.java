package io.jormundb.api.expr;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short ways to write SDK attribute values, items, tables and error checks in the expression tests. */
final class Fixtures {
    private Fixtures() {
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static AttributeValue b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(out));
    }

    static AttributeValue bool(boolean v) {
        return AttributeValue.fromBool(v);
    }

    static AttributeValue nul() {
        return AttributeValue.fromNul(true);
    }

    static AttributeValue l(AttributeValue... values) {
        return AttributeValue.fromL(Arrays.asList(values));
    }

    static AttributeValue m(Object... keysAndValues) {
        return AttributeValue.fromM(item(keysAndValues));
    }

    static AttributeValue ss(String... values) {
        return AttributeValue.fromSs(Arrays.asList(values));
    }

    static AttributeValue ns(String... values) {
        return AttributeValue.fromNs(Arrays.asList(values));
    }

    static AttributeValue bs(int... firstBytes) {
        List<SdkBytes> out = new ArrayList<>();
        for (int v : firstBytes) {
            out.add(SdkBytes.fromByteArray(new byte[] {(byte) v}));
        }
        return AttributeValue.fromBs(out);
    }

    /** {@code item("a", s("x"), "b", n("1"))}: an attribute map in the order given. */
    static Map<String, AttributeValue> item(Object... keysAndValues) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], (AttributeValue) keysAndValues[i + 1]);
        }
        return out;
    }

    /**
     * Asserts two attribute maps are equal, sets compared regardless of member order (DynamoDB
     * keeps no order in a set; the SDK models one as a list).
     */
    static void assertItem(Map<String, AttributeValue> expected, Map<String, AttributeValue> actual) {
        assertEquals(canonical(expected), canonical(actual));
    }

    private static Map<String, AttributeValue> canonical(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = new java.util.TreeMap<>();
        item.forEach((k, v) -> out.put(k, canonical(v)));
        return out;
    }

    private static AttributeValue canonical(AttributeValue v) {
        if (v.hasSs()) {
            return AttributeValue.fromSs(v.ss().stream().sorted().toList());
        }
        if (v.hasNs()) {
            return AttributeValue.fromNs(v.ns().stream().sorted().toList());
        }
        if (v.hasBs()) {
            return AttributeValue.fromBs(v.bs().stream()
                    .sorted(java.util.Comparator.comparing(SdkBytes::asByteBuffer)).toList());
        }
        if (v.hasL()) {
            return AttributeValue.fromL(v.l().stream().map(Fixtures::canonical).toList());
        }
        if (v.hasM()) {
            return AttributeValue.fromM(canonical(v.m()));
        }
        return v;
    }

    /** Creates an on-demand table keyed by {@code pk} (S) and, when {@code withSortKey}, {@code sk} (N). */
    static void createTable(DynamoDbClient client, String name, boolean withSortKey) {
        client.createTable(t -> {
            t.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            List<KeySchemaElement> keys = new ArrayList<>();
            List<AttributeDefinition> definitions = new ArrayList<>();
            keys.add(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
            definitions.add(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build());
            if (withSortKey) {
                keys.add(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
                definitions.add(AttributeDefinition.builder().attributeName("sk")
                        .attributeType(ScalarAttributeType.N).build());
            }
            t.keySchema(keys).attributeDefinitions(definitions);
        });
    }

    /** Asserts that {@code call} fails with a ValidationException saying exactly {@code message}. */
    static void assertValidation(String message, Executable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call);
        assertEquals("ValidationException", e.awsErrorDetails().errorCode(), e::getMessage);
        assertEquals(message, e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
    }
}
