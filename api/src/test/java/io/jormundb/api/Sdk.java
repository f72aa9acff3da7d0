package io.jormundb.api;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short forms for SDK values, tables and expected errors, shared by the end-to-end tests. */
public final class Sdk {
    private static final AtomicInteger NEXT_TABLE = new AtomicInteger();

    private Sdk() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue b(int... unsignedBytes) {
        byte[] bytes = new byte[unsignedBytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) unsignedBytes[i];
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    public static AttributeValue nul() {
        return AttributeValue.fromNul(true);
    }

    public static AttributeValue l(AttributeValue... values) {
        return AttributeValue.fromL(Arrays.asList(values));
    }

    /** A map value from name/value pairs, as {@link #item}. */
    public static AttributeValue m(Object... namesAndValues) {
        return AttributeValue.fromM(item(namesAndValues));
    }

    public static AttributeValue ss(String... values) {
        return AttributeValue.fromSs(Arrays.asList(values));
    }

    public static AttributeValue ns(String... values) {
        return AttributeValue.fromNs(Arrays.asList(values));
    }

    /** A binary set of one-byte members. */
    public static AttributeValue bs(int... firstBytes) {
        List<SdkBytes> members = new ArrayList<>();
        for (int v : firstBytes) {
            members.add(SdkBytes.fromByteArray(new byte[] {(byte) v}));
        }
        return AttributeValue.fromBs(members);
    }

    /** An item from name/value pairs, in the order given: {@code item("id", s("a"), "n", n("1"))}. */
    public static Map<String, AttributeValue> item(Object... namesAndValues) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return item;
    }

    /**
     * Asserts two items are equal, sets compared regardless of member order (DynamoDB keeps no
     * order in a set; the SDK models one as a list).
     */
    public static void assertItem(Map<String, AttributeValue> expected, Map<String, AttributeValue> actual) {
        assertEquals(canonical(expected), canonical(actual));
    }

    private static Map<String, AttributeValue> canonical(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = new TreeMap<>();
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
            return AttributeValue.fromBs(v.bs().stream().sorted(Comparator.comparing(SdkBytes::asByteBuffer)).toList());
        }
        if (v.hasL()) {
            return AttributeValue.fromL(v.l().stream().map(Sdk::canonical).toList());
        }
        if (v.hasM()) {
            return AttributeValue.fromM(canonical(v.m()));
        }
        return v;
    }

    /**
     * {@code prefix-N}, with an N no earlier call gave: a table of its own for each test of a class
     * whose tests share one server.
     */
    public static String unique(String prefix) {
        return prefix + "-" + NEXT_TABLE.incrementAndGet();
    }

    /** Creates an on-demand table keyed by {@code hash} (and {@code range} when not null); returns its name. */
    public static String createTable(DynamoDbClient client, String name, String hash, ScalarAttributeType hashType,
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
        return name;
    }

    /** Creates an on-demand table keyed by {@code hash} alone; returns its name. */
    public static String createTable(DynamoDbClient client, String name, String hash, ScalarAttributeType hashType) {
        return createTable(client, name, hash, hashType, null, null);
    }

    /** Creates an on-demand table with a string partition key {@code id}; returns its name. */
    public static String createTable(DynamoDbClient client, String name) {
        return createTable(client, name, "id", ScalarAttributeType.S);
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
    public static DynamoDbException assertValidation(String message, Executable call) {
        return assertDynamoError("ValidationException", message, call);
    }

    /**
     * A TransactWriteItems of {@code actions} actions cancelled because the item or key of action
     * {@code at} is invalid: its reason ValidationError with exactly {@code message}, every other None.
     */
    public static void assertCanceledAsInvalid(int actions, int at, String message, Executable call) {
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, call);
        List<CancellationReason> expected = new ArrayList<>();
        for (int i = 0; i < actions; i++) {
            expected.add(i == at ? CancellationReason.builder().code("ValidationError").message(message).build()
                    : CancellationReason.builder().code("None").build());
        }
        assertEquals(expected, e.cancellationReasons(), () -> "cancellation reasons of " + e);
    }

    /**
     * Writes {@code items} into {@code table} with BatchWriteItem, 25 a request, from
     * {@code threads} threads at once (a fast way to load a big table).
     */
    public static void putAll(DynamoDbClient client, String table, List<Map<String, AttributeValue>> items,
                              int threads) {
        List<List<WriteRequest>> batches = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 25) {
            batches.add(items.subList(i, Math.min(i + 25, items.size())).stream().map(item -> WriteRequest.builder()
                    .putRequest(PutRequest.builder().item(item).build()).build()).toList());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (List<WriteRequest> batch : batches) {
                done.add(pool.submit(() -> client.batchWriteItem(r -> r.requestItems(Map.of(table, batch)))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a batch write failed", e.getCause());
        }
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
