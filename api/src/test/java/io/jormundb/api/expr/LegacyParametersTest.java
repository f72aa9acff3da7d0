package io.jormundb.api.expr;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalOperator;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertItem;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.l;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.ns;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The pre-expression parameters end to end — AttributesToGet, Expected, AttributeUpdates,
 * KeyConditions, QueryFilter, ScanFilter, ConditionalOperator — and DynamoDB's refusals when
 * they are mixed with expressions or misused.
 */
class LegacyParametersTest {
    private static final String TABLE = "Legacy";

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @BeforeAll
    static void setUpTable() {
        createTable(SERVER.client(), TABLE, "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (int sk = 1; sk <= 4; sk++) {
            Map<String, AttributeValue> row = item("pk", s("rows"), "sk", n(String.valueOf(sk)),
                    "name", s("item" + sk), "tags", sk % 2 == 0 ? ss("even", "x") : ss("odd"));
            SERVER.client().putItem(r -> r.tableName(TABLE).item(row));
        }
        SERVER.client().putItem(r -> r.tableName(TABLE).item(item("pk", s("rows"), "sk", n("5"))));
    }

    private static Condition cond(ComparisonOperator op, AttributeValue... values) {
        return Condition.builder().comparisonOperator(op).attributeValueList(values).build();
    }

    private static ExpectedAttributeValue expect(ComparisonOperator op, AttributeValue... values) {
        return ExpectedAttributeValue.builder().comparisonOperator(op).attributeValueList(values).build();
    }

    private static <V> Map<String, V> ordered(String k1, V v1, String k2, V v2) {
        Map<String, V> out = new LinkedHashMap<>();
        out.put(k1, v1);
        out.put(k2, v2);
        return out;
    }

    private static List<String> sortKeys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("sk").n()).toList();
    }

    @Test
    void attributesToGetProjectsTopLevelAttributesOnGetQueryAndScan() {
        assertItem(item("name", s("item1")), SERVER.client().getItem(r -> r.tableName(TABLE)
                .key(item("pk", s("rows"), "sk", n("1"))).attributesToGet("name", "nope")).item());
        assertEquals(List.of(item("sk", n("1")), item("sk", n("2"))), SERVER.client().query(r -> r.tableName(TABLE)
                .keyConditions(ordered("pk", cond(ComparisonOperator.EQ, s("rows")),
                        "sk", cond(ComparisonOperator.LE, n("2"))))
                .attributesToGet("sk")).items());
        assertEquals(5, SERVER.client().scan(r -> r.tableName(TABLE).attributesToGet("pk")).items().stream()
                .filter(i -> i.equals(item("pk", s("rows")))).count());
    }

    @Test
    void keyConditionsAndQueryFilterSelectLikeTheirExpressions() {
        assertEquals(List.of("4", "3", "2"), sortKeys(SERVER.client().query(r -> r.tableName(TABLE)
                .scanIndexForward(false)
                .keyConditions(ordered("pk", cond(ComparisonOperator.EQ, s("rows")),
                        "sk", cond(ComparisonOperator.BETWEEN, n("2"), n("4"))))).items()));
        assertEquals(List.of("2", "4"), sortKeys(SERVER.client().query(r -> r.tableName(TABLE)
                .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, s("rows"))))
                .queryFilter(Map.of("tags", cond(ComparisonOperator.CONTAINS, s("x"))))).items()));
        assertEquals(List.of("1", "3", "5"), sortKeys(SERVER.client().query(r -> r.tableName(TABLE)
                .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, s("rows"))))
                .queryFilter(ordered("tags", cond(ComparisonOperator.NOT_CONTAINS, s("x")),
                        "name", cond(ComparisonOperator.NULL)))
                .conditionalOperator(ConditionalOperator.OR)).items()));
    }

    @Test
    void scanFilterSupportsEveryComparisonOperator() {
        Map<ComparisonOperator, List<String>> expected = new LinkedHashMap<>();
        Map<ComparisonOperator, Condition> filters = Map.ofEntries(
                Map.entry(ComparisonOperator.EQ, cond(ComparisonOperator.EQ, s("item2"))),
                Map.entry(ComparisonOperator.NE, cond(ComparisonOperator.NE, s("item2"))),
                Map.entry(ComparisonOperator.LT, cond(ComparisonOperator.LT, s("item2"))),
                Map.entry(ComparisonOperator.LE, cond(ComparisonOperator.LE, s("item2"))),
                Map.entry(ComparisonOperator.GT, cond(ComparisonOperator.GT, s("item2"))),
                Map.entry(ComparisonOperator.GE, cond(ComparisonOperator.GE, s("item2"))),
                Map.entry(ComparisonOperator.NOT_NULL, cond(ComparisonOperator.NOT_NULL)),
                Map.entry(ComparisonOperator.NULL, cond(ComparisonOperator.NULL)),
                Map.entry(ComparisonOperator.CONTAINS, cond(ComparisonOperator.CONTAINS, s("m3"))),
                Map.entry(ComparisonOperator.NOT_CONTAINS, cond(ComparisonOperator.NOT_CONTAINS, s("m3"))),
                Map.entry(ComparisonOperator.BEGINS_WITH, cond(ComparisonOperator.BEGINS_WITH, s("item"))),
                Map.entry(ComparisonOperator.IN, cond(ComparisonOperator.IN, s("item1"), s("item4"), s("x"))),
                Map.entry(ComparisonOperator.BETWEEN, cond(ComparisonOperator.BETWEEN, s("item2"), s("item3"))));
        expected.put(ComparisonOperator.EQ, List.of("2"));
        expected.put(ComparisonOperator.NE, List.of("1", "3", "4", "5"));
        expected.put(ComparisonOperator.LT, List.of("1"));
        expected.put(ComparisonOperator.LE, List.of("1", "2"));
        expected.put(ComparisonOperator.GT, List.of("3", "4"));
        expected.put(ComparisonOperator.GE, List.of("2", "3", "4"));
        expected.put(ComparisonOperator.NOT_NULL, List.of("1", "2", "3", "4"));
        expected.put(ComparisonOperator.NULL, List.of("5"));
        expected.put(ComparisonOperator.CONTAINS, List.of("3"));
        expected.put(ComparisonOperator.NOT_CONTAINS, List.of("1", "2", "4"));
        expected.put(ComparisonOperator.BEGINS_WITH, List.of("1", "2", "3", "4"));
        expected.put(ComparisonOperator.IN, List.of("1", "4"));
        expected.put(ComparisonOperator.BETWEEN, List.of("2", "3"));
        expected.forEach((op, sortKeys) -> assertEquals(sortKeys, SERVER.client().scan(r -> r.tableName(TABLE)
                .scanFilter(Map.of("name", filters.get(op), "pk", cond(ComparisonOperator.EQ, s("rows"))))).items().stream()
                .map(i -> i.get("sk").n()).sorted().toList(), op.toString()));
    }

    @Test
    void expectedGuardsPutUpdateAndDeleteLikeAConditionExpression() {
        Map<String, AttributeValue> key = item("pk", s("expected"), "sk", n("1"));
        SERVER.client().putItem(r -> r.tableName(TABLE).item(item("pk", s("expected"), "sk", n("1"), "v", n("1")))
                .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build())));
        assertThrows(ConditionalCheckFailedException.class, () -> SERVER.client().putItem(r -> r.tableName(TABLE)
                .item(key)
                .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build()))));

        SERVER.client().updateItem(r -> r.tableName(TABLE).key(key)
                .attributeUpdates(Map.of("v", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n("1")).build()))
                .expected(ordered("v", ExpectedAttributeValue.builder().value(n("1")).build(),
                        "w", ExpectedAttributeValue.builder().exists(true).value(n("9")).build()))
                .conditionalOperator(ConditionalOperator.OR));
        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().updateItem(r -> r.tableName(TABLE).key(key)
                        .attributeUpdates(Map.of("v", AttributeValueUpdate.builder().value(n("7")).build()))
                        .expected(ordered("v", expect(ComparisonOperator.GT, n("1")),
                                "w", expect(ComparisonOperator.NOT_NULL)))));
        assertEquals("The conditional request failed", failed.awsErrorDetails().errorMessage());

        assertThrows(ConditionalCheckFailedException.class, () -> SERVER.client().deleteItem(r -> r.tableName(TABLE)
                .key(key)
                .expected(Map.of("v", expect(ComparisonOperator.IN, n("3"), n("4"))))));
        SERVER.client().deleteItem(r -> r.tableName(TABLE).key(key)
                .expected(Map.of("v", expect(ComparisonOperator.BETWEEN, n("2"), n("3")))));
        assertFalse(SERVER.client().getItem(r -> r.tableName(TABLE).key(key)).hasItem());
    }

    @Test
    void attributeUpdatesPutAddAndDelete() {
        Map<String, AttributeValue> key = item("pk", s("updates"), "sk", n("1"));
        SERVER.client().putItem(r -> r.tableName(TABLE).item(item("pk", s("updates"), "sk", n("1"), "gone", s("x"),
                "tags", ss("a", "b"), "list", l(n("1")))));
        Map<String, AttributeValueUpdate> updates = new LinkedHashMap<>();
        updates.put("name", AttributeValueUpdate.builder().value(s("put by default")).build());
        updates.put("count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n("3")).build());
        updates.put("ids", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(ns("1", "2")).build());
        updates.put("list", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(l(n("2"))).build());
        updates.put("tags", AttributeValueUpdate.builder().action(AttributeAction.DELETE).value(ss("a")).build());
        updates.put("gone", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build());
        var r = SERVER.client().updateItem(u -> u.tableName(TABLE).key(key).attributeUpdates(updates)
                .returnValues(ReturnValue.UPDATED_NEW));
        assertItem(item("name", s("put by default"), "count", n("3"), "ids", ns("1", "2"), "list", l(n("1"), n("2")),
                "tags", ss("b")), r.attributes());

        SERVER.client().updateItem(u -> u.tableName(TABLE).key(item("pk", s("updates"), "sk", n("2")))
                .attributeUpdates(Map.of("gone", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build())));
        assertFalse(SERVER.client().getItem(g -> g.tableName(TABLE).key(item("pk", s("updates"), "sk", n("2"))))
                .hasItem());
    }

    @Test
    void mixingLegacyAndExpressionParametersNamesBothSidesInDynamoDbsOrder() {
        String prefix = "Can not use both expression and non-expression parameters in the same request: ";
        Map<String, AttributeValue> key = item("pk", s("rows"), "sk", n("1"));
        assertValidation(prefix + "Non-expression parameters: {AttributesToGet} Expression parameters: "
                + "{ProjectionExpression}", () -> SERVER.client().getItem(r -> r.tableName(TABLE).key(key)
                .attributesToGet("name").projectionExpression("tags")));
        assertValidation(prefix + "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
                () -> SERVER.client().putItem(r -> r.tableName(TABLE).item(key)
                        .conditionExpression("attribute_exists(pk)")
                        .expected(Map.of("v", ExpectedAttributeValue.builder().exists(false).build()))));
        assertValidation(prefix + "Non-expression parameters: {AttributeUpdates, Expected, ConditionalOperator} "
                + "Expression parameters: {UpdateExpression, ConditionExpression}",
                () -> SERVER.client().updateItem(r -> r
                .tableName(TABLE).key(key).updateExpression("REMOVE a").conditionExpression("attribute_exists(pk)")
                .attributeUpdates(Map.of("a", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build()))
                .expected(ordered("a", expect(ComparisonOperator.NULL), "b", expect(ComparisonOperator.NULL)))
                .conditionalOperator(ConditionalOperator.AND)));
        assertValidation(prefix + "Non-expression parameters: {AttributesToGet, ScanFilter, ConditionalOperator} "
                + "Expression parameters: {ProjectionExpression, FilterExpression}", () -> SERVER.client().scan(r -> r
                .tableName(TABLE).attributesToGet("name").projectionExpression("name").filterExpression("size(name) > :v")
                .expressionAttributeValues(item(":v", n("1"))).conditionalOperator(ConditionalOperator.OR)
                .scanFilter(Map.of("name", cond(ComparisonOperator.NOT_NULL)))));
        assertValidation(prefix + "Non-expression parameters: {QueryFilter, ConditionalOperator, KeyConditions} "
                + "Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}",
                () -> SERVER.client().query(r -> r.tableName(TABLE).keyConditionExpression("pk = :p")
                        .projectionExpression("sk")
                        .filterExpression("size(name) > :p").expressionAttributeValues(item(":p", s("rows")))
                        .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, s("rows"))))
                        .queryFilter(Map.of("name", cond(ComparisonOperator.NULL)))
                        .conditionalOperator(ConditionalOperator.AND)));
        assertValidation("ExpressionAttributeValues can only be specified when using expressions",
                () -> SERVER.client().putItem(r -> r.tableName(TABLE).item(key)
                        .expressionAttributeValues(item(":v", n("1")))));
        assertValidation("ExpressionAttributeNames can only be specified when using expressions",
                () -> SERVER.client().getItem(r -> r.tableName(TABLE).key(key)
                        .expressionAttributeNames(Map.of("#n", "name"))));
    }

    @Test
    void keyConditionsMayGoWithFilterAndProjectionExpressions() {
        var r = SERVER.client().query(q -> q.tableName(TABLE)
                .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, s("rows"))))
                .filterExpression("contains(tags, :x)").projectionExpression("sk")
                .expressionAttributeValues(item(":x", s("x"))));
        assertEquals(List.of(item("sk", n("2")), item("sk", n("4"))), r.items());
    }

    @Test
    void conditionalOperatorNeedsTwoOrMoreLegacyConditions() {
        Map<String, AttributeValue> key = item("pk", s("rows"), "sk", n("1"));
        assertValidation("ConditionalOperator cannot be used without Filter or Expected",
                () -> SERVER.client().scan(r -> r.tableName(TABLE).conditionalOperator(ConditionalOperator.AND)));
        assertValidation("ConditionalOperator cannot be used without Filter or Expected",
                () -> SERVER.client().query(r -> r.tableName(TABLE).conditionalOperator(ConditionalOperator.OR)));
        assertValidation("ConditionalOperator cannot be used without Filter or Expected",
                () -> SERVER.client().deleteItem(r -> r.tableName(TABLE).key(key)
                        .conditionalOperator(ConditionalOperator.OR)));
        assertValidation("ConditionalOperator can only be used when Filter or Expected has two or more elements",
                () -> SERVER.client().putItem(r -> r.tableName(TABLE).item(key)
                        .conditionalOperator(ConditionalOperator.AND)
                        .expected(Map.of("name", expect(ComparisonOperator.NOT_NULL)))));
        assertValidation("ConditionalOperator can only be used when Filter or Expected has two or more elements",
                () -> SERVER.client().query(r -> r.tableName(TABLE).conditionalOperator(ConditionalOperator.AND)
                        .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, s("rows"))))
                        .queryFilter(Map.of("name", cond(ComparisonOperator.NULL)))));
    }

    @Test
    void badEnumValuesAreNamedWhereTheyStand() {
        String operators = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";
        assertValidation("1 validation error detected: Value 'LIKE' at 'scanFilter.name.member.comparisonOperator' "
                + "failed to satisfy constraint: Member must satisfy enum value set: " + operators,
                () -> SERVER.client().scan(r -> r.tableName(TABLE).scanFilter(Map.of("name", Condition.builder()
                        .comparisonOperator("LIKE").attributeValueList(s("x")).build()))));
        assertValidation("1 validation error detected: Value null at 'queryFilter.name.member.comparisonOperator' "
                + "failed to satisfy constraint: Member must not be null",
                () -> SERVER.client().query(r -> r.tableName(TABLE)
                .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, s("rows"))))
                .queryFilter(Map.of("name", Condition.builder().attributeValueList(s("x")).build()))));
        assertValidation("1 validation error detected: Value 'GTE' at 'keyConditions.sk.member.comparisonOperator' "
                + "failed to satisfy constraint: Member must satisfy enum value set: " + operators,
                () -> SERVER.client().query(r -> r.tableName(TABLE).keyConditions(ordered("pk",
                        cond(ComparisonOperator.EQ, s("rows")), "sk", Condition.builder().comparisonOperator("GTE")
                                .attributeValueList(n("1")).build()))));
        assertValidation("1 validation error detected: Value 'eq' at 'expected.v.member.comparisonOperator' failed to "
                + "satisfy constraint: Member must satisfy enum value set: " + operators,
                () -> SERVER.client().deleteItem(r -> r
                .tableName(TABLE).key(item("pk", s("rows"), "sk", n("9")))
                .expected(Map.of("v", ExpectedAttributeValue.builder().comparisonOperator("eq")
                        .attributeValueList(n("1")).build()))));
        assertValidation("1 validation error detected: Value 'SET' at 'attributeUpdates.v.member.action' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
                () -> SERVER.client().updateItem(r -> r
                .tableName(TABLE).key(item("pk", s("rows"), "sk", n("9")))
                .attributeUpdates(Map.of("v", AttributeValueUpdate.builder().action("SET").value(n("1")).build()))));
        assertValidation("1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [OR, AND]",
                () -> SERVER.client().scan(r -> r.tableName(TABLE)
                .conditionalOperator("XOR").scanFilter(ordered("name", cond(ComparisonOperator.NULL),
                        "tags", cond(ComparisonOperator.NULL)))));
    }
}
