package io.jormundb.api.expr;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.jormundb.api.Sdk.assertItem;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.l;
import static io.jormundb.api.Sdk.m;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * FilterExpression and ProjectionExpression on Query and Scan (and projections on GetItem) end
 * to end: the filter runs after Limit, so Count and ScannedCount differ as in DynamoDB; nested
 * projections keep the item's shape; a Query's filter may not touch the key.
 */
class QueryScanExpressionsTest {
    private static final String TABLE = "Rows";

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @BeforeAll
    static void setUpTable() {
        createTable(SERVER.client(), TABLE, "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (int sk = 1; sk <= 10; sk++) {
            Map<String, AttributeValue> row = row("p", sk);
            SERVER.client().putItem(r -> r.tableName(TABLE).item(row));
        }
        SERVER.client().putItem(r -> r.tableName(TABLE).item(row("q", 1)));
        SERVER.client().putItem(r -> r.tableName(TABLE).item(row("q", 3)));
    }

    /** Row {@code sk} of partition {@code pk}: v = sk mod 3, and a nested doc holding sk. */
    private static Map<String, AttributeValue> row(String pk, int sk) {
        return item("pk", s(pk), "sk", n(String.valueOf(sk)), "v", n(String.valueOf(sk % 3)),
                "parity", s(sk % 2 == 0 ? "even" : "odd"),
                "doc", m("x", l(n(String.valueOf(sk)), m("y", s("y" + sk))), "z", s("z")));
    }

    private static QueryResponse query(Consumer<QueryRequest.Builder> more) {
        return SERVER.client().query(r -> {
            r.tableName(TABLE).keyConditionExpression("pk = :p");
            more.accept(r);
        });
    }

    private static List<String> sortKeys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("sk").n()).toList();
    }

    @Test
    void queryFilterRunsAfterLimitSoCountIsWhatMatchedAndScannedCountWhatWasRead() {
        Map<String, AttributeValue> values = item(":p", s("p"), ":zero", n("0"));
        QueryResponse first = query(r -> r.filterExpression("v = :zero").limit(5).expressionAttributeValues(values));
        assertEquals(List.of("3"), sortKeys(first.items()));
        assertEquals(1, first.count());
        assertEquals(5, first.scannedCount());
        assertEquals(item("pk", s("p"), "sk", n("5")), first.lastEvaluatedKey());

        QueryResponse second = query(r -> r.filterExpression("v = :zero").limit(5).expressionAttributeValues(values)
                .exclusiveStartKey(first.lastEvaluatedKey()));
        assertEquals(List.of("6", "9"), sortKeys(second.items()));
        assertEquals(2, second.count());
        assertEquals(5, second.scannedCount());

        QueryResponse backwards = query(r -> r.filterExpression("parity = :odd").limit(4).scanIndexForward(false)
                .expressionAttributeValues(item(":p", s("p"), ":odd", s("odd"))));
        assertEquals(List.of("9", "7"), sortKeys(backwards.items()));
        assertEquals(4, backwards.scannedCount());
    }

    @Test
    void scanFilterCountsMatchesAgainstEveryItemRead() {
        ScanResponse all = SERVER.client().scan(r -> r.tableName(TABLE).filterExpression("v = :one OR doc.x[0] = :ten")
                .expressionAttributeValues(item(":one", n("1"), ":ten", n("10"))));
        assertEquals(12, all.scannedCount());
        assertEquals(List.of("1", "1", "10", "4", "7"), all.items().stream().map(i -> i.get("sk").n()).sorted().toList());
        assertEquals(5, all.count());

        ScanResponse counted = SERVER.client().scan(r -> r.tableName(TABLE).select(Select.COUNT)
                .filterExpression("v = :one").expressionAttributeValues(item(":one", n("1"))));
        assertFalse(counted.hasItems());
        assertEquals(5, counted.count());
        assertEquals(12, counted.scannedCount());

        ScanResponse keyFilter = SERVER.client().scan(r -> r.tableName(TABLE)
                .filterExpression("sk > :eight AND pk = :p")
                .expressionAttributeValues(item(":eight", n("8"), ":p", s("p"))));
        assertEquals(2, keyFilter.count());
    }

    @Test
    void keyConditionsSelectRangesOfTheSortKey() {
        assertEquals(List.of("3", "4", "5"), sortKeys(SERVER.client().query(r -> r.tableName(TABLE)
                .keyConditionExpression("pk = :p AND sk BETWEEN :a AND :b")
                .expressionAttributeValues(item(":p", s("p"), ":a", n("3"), ":b", n("5")))).items()));
        assertEquals(List.of("10", "9"), sortKeys(SERVER.client().query(r -> r.tableName(TABLE)
                .keyConditionExpression(":a < sk AND #p = :p").expressionAttributeNames(Map.of("#p", "pk"))
                .scanIndexForward(false).expressionAttributeValues(item(":p", s("p"), ":a", n("8")))).items()));
    }

    @Test
    void projectionsKeepTheShapeOfNestedPathsOnGetQueryAndScan() {
        Map<String, AttributeValue> expected = item("parity", s("odd"), "doc", m("x", l(m("y", s("y3")))));
        Map<String, AttributeValue> got = SERVER.client().getItem(r -> r.tableName(TABLE)
                .key(item("pk", s("p"), "sk", n("3")))
                .projectionExpression("doc.x[1].#y, parity, doc.nothing, nothing[2]")
                .expressionAttributeNames(Map.of("#y", "y"))).item();
        assertItem(expected, got);

        QueryResponse queried = query(r -> r.projectionExpression("doc.x[0], sk")
                .keyConditionExpression("pk = :p AND sk <= :two")
                .expressionAttributeValues(item(":p", s("q"), ":two", n("2"))));
        assertEquals(List.of(item("sk", n("1"), "doc", m("x", l(n("1"))))), queried.items());

        ScanResponse scanned = SERVER.client().scan(r -> r.tableName(TABLE).projectionExpression("doc.z")
                .filterExpression("pk = :q AND sk = :three").expressionAttributeValues(item(":q", s("q"), ":three", n("3"))));
        assertEquals(List.of(item("doc", m("z", s("z")))), scanned.items());
        assertEquals(1, scanned.count());
    }

    @Test
    void aQueryFilterOnAKeyAttributeIsRefused() {
        assertValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
                () -> query(r -> r.filterExpression("v = :v OR sk > :v")
                        .expressionAttributeValues(item(":p", s("p"), ":v", n("1")))));
        assertValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: pk",
                () -> query(r -> r.filterExpression("attribute_exists(#k) AND sk > :v")
                        .expressionAttributeNames(Map.of("#k", "pk"))
                        .expressionAttributeValues(item(":p", s("p"), ":v", n("1")))));
        assertValidation("QueryFilter can only contain non-primary key attributes: Primary key attribute: sk",
                () -> SERVER.client().query(r -> r.tableName(TABLE)
                        .keyConditions(Map.of("pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ)
                                .attributeValueList(s("p")).build()))
                        .queryFilter(Map.of("sk", Condition.builder().comparisonOperator(ComparisonOperator.GT)
                                .attributeValueList(n("1")).build()))));
    }

    @Test
    void aPathBelowAKeyAttributeIsRefusedBecauseKeysAreScalars() {
        String message = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ";
        assertValidation(message + "pk", () -> SERVER.client().getItem(r -> r.tableName(TABLE)
                .key(item("pk", s("p"), "sk", n("1"))).projectionExpression("v, pk.inside")));
        assertValidation(message + "sk", () -> query(r -> r.projectionExpression("sk[0]")
                .expressionAttributeValues(item(":p", s("p")))));
        assertValidation(message + "sk", () -> SERVER.client().scan(r -> r.tableName(TABLE)
                .filterExpression("attribute_exists(sk.part)")));
    }
}
