package io.jormundb.api.expr;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertItem;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.m;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every kind of expression error, through the operation that takes the expression, with
 * DynamoDB's exact message; none of them changes the item.
 */
class ExpressionErrorsTest {
    private static final String TABLE = "Errors";
    private static final Map<String, AttributeValue> KEY = item("pk", s("k"), "sk", n("1"));
    private static final Map<String, AttributeValue> ITEM = item("pk", s("k"), "sk", n("1"), "a", m("b", n("1")),
            "s", s("text"));

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @BeforeAll
    static void setUpTable() {
        createTable(SERVER.client(), TABLE, "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        SERVER.client().putItem(r -> r.tableName(TABLE).item(ITEM));
    }

    @AfterAll
    static void noRefusedRequestChangedTheItem() {
        assertItem(ITEM, SERVER.client().getItem(r -> r.tableName(TABLE).key(KEY)).item());
    }

    private static void update(String expression, Object... values) {
        update(expression, null, values);
    }

    private static void update(String expression, Map<String, String> names, Object... values) {
        Map<String, AttributeValue> v = item(values);
        SERVER.client().updateItem(r -> r.tableName(TABLE).key(KEY).updateExpression(expression)
                .expressionAttributeNames(names).expressionAttributeValues(v.isEmpty() ? null : v));
    }

    private static void conditionalDelete(String condition, Object... values) {
        Map<String, AttributeValue> v = item(values);
        SERVER.client().deleteItem(r -> r.tableName(TABLE).key(KEY).conditionExpression(condition)
                .expressionAttributeValues(v.isEmpty() ? null : v));
    }

    @Test
    void syntaxErrorsNameTheTokenAndTheTextAroundIt() {
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"b\", near: \":v b =\"",
                () -> update("SET a = :v b = :v", ":v", n("1")));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"x\", near: \"x =\"",
                () -> update("x = :v", ":v", n("1")));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"x\"", () -> update("SET x"));
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :v\"",
                () -> conditionalDelete("a = = :v", ":v", n("1")));
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"",
                () -> SERVER.client().getItem(r -> r.tableName(TABLE).key(KEY).projectionExpression("a b")));
        assertValidation("Invalid FilterExpression: Syntax error; token: \"!\", near: \"a ! :v\"",
                () -> SERVER.client().scan(r -> r.tableName(TABLE).filterExpression("a ! :v")
                        .expressionAttributeValues(item(":v", n("1")))));
        assertValidation("Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"",
                () -> SERVER.client().query(r -> r.tableName(TABLE).keyConditionExpression("pk =")));
        assertValidation("Invalid UpdateExpression: The expression can not be empty;", () -> update(""));
        assertValidation("Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
                + "expression;", () -> update("SET a = :v SET s = :v", ":v", n("1")));
    }

    /**
     * DynamoDB counts comparisons, AND, OR and NOT (not parentheses, not function calls) and refuses
     * more than 300 (ScyllaDB Alternator's test_limits.py quotes the message); nesting within that
     * count is no error.
     */
    @Test
    void aConditionOfMoreThan300OperatorsIsRefusedAndOneOf300IsTakenHoweverNested() {
        // 151 "<>" and 150 "or": 301, flat; 300 with a NOT; 299 nested in parentheses; NOTs around one comparison
        // (sk is 1: "sk <> :two" holds, "sk = :two" does not).
        String flat = "sk <> :two" + " or sk <> :two".repeat(150);
        assertValidation("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                () -> conditionHolds(flat));
        assertValidation("Invalid FilterExpression: The expression contains too many operators; operator count: 301",
                () -> SERVER.client().scan(r -> r.tableName(TABLE).filterExpression(flat)
                        .expressionAttributeValues(item(":two", n("2")))));
        conditionHolds("NOT sk = :two" + " or sk <> :two".repeat(149));
        conditionHolds("sk <> :two" + " or (sk <> :two".repeat(149) + ")".repeat(149));
        conditionHolds("NOT ".repeat(298) + "sk <> :two");
        conditionHolds("(NOT ".repeat(299) + "sk = :two" + ")".repeat(299));
        assertValidation("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                () -> conditionHolds("NOT ".repeat(300) + "sk <> :two"));
        // Deeper than any condition of 300 operators: refused, not a crash.
        for (String deep : List.of("(".repeat(2000) + "sk <> :two" + ")".repeat(2000),
                "sk < " + "size(".repeat(1300) + "s" + ")".repeat(1300))) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> conditionHolds(deep));
            assertEquals(400, e.statusCode(), e::getMessage);
        }
    }

    /** A conditional update of the item that changes nothing: the condition must hold. */
    private static void conditionHolds(String condition) {
        SERVER.client().updateItem(r -> r.tableName(TABLE).key(KEY).updateExpression("SET s = :text")
                .conditionExpression(condition).expressionAttributeValues(item(":two", n("2"), ":text", s("text"))));
    }

    @Test
    void aReservedWordAsAnAttributeNameNeedsAPlaceholder() {
        assertValidation("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status",
                () -> update("SET status = :v", ":v", s("on")));
        assertValidation("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Name",
                () -> conditionalDelete("attribute_exists(a.Name)"));
        assertValidation("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: year",
                () -> SERVER.client().getItem(r -> r.tableName(TABLE).key(KEY).projectionExpression("s, year")));
        SERVER.client().getItem(r -> r.tableName(TABLE).key(KEY).projectionExpression("s, #y")
                .expressionAttributeNames(Map.of("#y", "year")));
    }

    @Test
    void placeholdersMustBeDefinedAndUsed() {
        assertValidation("Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                + "attribute value: :missing", () -> update("SET a = :missing", ":v", n("1")));
        assertValidation("Invalid ConditionExpression: An expression attribute name used in the document path is not "
                + "defined; attribute name: #n", () -> conditionalDelete("attribute_exists(#n)"));
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                () -> update("SET s = :v", ":v", s("x"), ":unused", n("1")));
        assertValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
                () -> update("SET s = :v", Map.of("#unused", "s"), ":v", s("x")));
        assertValidation("ExpressionAttributeValues must not be empty", () -> SERVER.client().updateItem(r -> r
                .tableName(TABLE).key(KEY).updateExpression("REMOVE nothing").expressionAttributeValues(Map.of())));
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"",
                () -> update("REMOVE nothing", Map.of("n", "a")));
        SERVER.client().updateItem(r -> r.tableName(TABLE).key(KEY).updateExpression("SET s = :v")
                .conditionExpression("#s = :v").expressionAttributeNames(Map.of("#s", "s"))
                .expressionAttributeValues(item(":v", s("text"))));
    }

    @Test
    void onATableThatDoesNotExistAnInvalidExpressionIsAnsweredFirst() {
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"a\"",
                () -> SERVER.client().updateItem(r -> r.tableName("Nope").key(KEY).updateExpression("SET a")));
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                () -> SERVER.client().deleteItem(r -> r.tableName("Nope").key(KEY).conditionExpression("attribute_exists(a)")
                        .expressionAttributeValues(item(":unused", n("1")))));
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \",\", near: \",,b\"",
                () -> SERVER.client().getItem(r -> r.tableName("Nope").key(KEY).projectionExpression("a,,b")));
        assertValidation("Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"",
                () -> SERVER.client().query(r -> r.tableName("Nope").keyConditionExpression("pk =")));
        assertValidation("Invalid FilterExpression: Syntax error; token: \"!\", near: \"a ! :v\"",
                () -> SERVER.client().scan(r -> r.tableName("Nope").filterExpression("a ! :v")
                        .expressionAttributeValues(item(":v", n("1")))));
        // Valid expressions on a missing table: the table is not found.
        assertDynamoError("ResourceNotFoundException", "Requested resource not found", () -> SERVER.client()
                .updateItem(r -> r.tableName("Nope").key(KEY).updateExpression("SET pk = :v")
                        .expressionAttributeValues(item(":v", n("1")))));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found", () -> SERVER.client()
                .query(r -> r.tableName("Nope").keyConditionExpression("pk = :v")
                        .expressionAttributeValues(item(":v", n("1")))));
    }

    @Test
    void anInvalidValueOfAPlaceholderIsNamedWithItsKey() {
        assertValidation("ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: "
                + "An string set  may not be empty for key :v", () -> update("SET a = :v", ":v",
                AttributeValue.fromSs(List.of())));
        assertValidation("ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a "
                + "numeric value: dog for key :n", () -> update("SET a = :n", ":n", n("dog")));
        // An invalid value inside an item is not a placeholder's.
        assertValidation("The parameter cannot be converted to a numeric value: dog", () -> SERVER.client().putItem(
                r -> r.tableName(TABLE).item(item("pk", s("other"), "sk", n("1"), "x", n("dog")))));
    }

    @Test
    void overlappingAndConflictingDocumentPathsAreRefused() {
        assertValidation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                + "one of these paths; path one: [a, b], path two: [a]", () -> update("SET a.b = :v REMOVE a", ":v", n("1")));
        assertValidation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                + "one of these paths; path one: [s], path two: [s]", () -> update("SET s = :v, s = :v", ":v", n("1")));
        assertValidation("Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
                + "rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
                () -> update("SET a.b = :v, a[0] = :v", ":v", n("1")));
        assertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [a], path two: [a, b]",
                () -> SERVER.client().getItem(r -> r.tableName(TABLE).key(KEY).projectionExpression("a, a.b")));
    }

    @Test
    void keyAttributesCannotBeUpdated() {
        assertValidation("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part "
                + "of the key", () -> update("SET pk = :v", ":v", s("other")));
        assertValidation("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part "
                + "of the key", () -> update("SET s = :v REMOVE sk", ":v", s("x")));
        assertValidation("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part "
                + "of the key", () -> update("ADD #k :v", Map.of("#k", "sk"), ":v", n("1")));
    }

    @Test
    void expressionsOverFourKilobytesAreRefused() {
        String fits = "SET s = :v" + " ".repeat(4096 - "SET s = :v".length());
        update(fits, ":v", s("text"));
        assertValidation("Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; expression "
                + "size: 4097", () -> update(fits + " ", ":v", s("text")));
        String longCondition = "s = :v" + " OR s = :v".repeat(409);
        assertEquals(4096, longCondition.length());
        assertValidation("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
                + "expression size: 4106", () -> conditionalDelete(longCondition + " OR s = :v", ":v", s("no")));
    }

    @Test
    void operandsOfTheWrongTypeAreRefusedBeforeOrWhileApplying() {
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                + "function: +, operand type: S", () -> update("SET a.b = a.b + :s", ":s", s("1")));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                + "operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND", () -> update("ADD s :s", ":s", s("x")));
        assertValidation("Invalid UpdateExpression: The function is not allowed in an update expression; function: "
                + "size", () -> update("SET n = size(s)"));
        assertValidation("Invalid ConditionExpression: Invalid function name; function: exists",
                () -> conditionalDelete("exists(s)"));
        assertValidation("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or "
                + "equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: "
                + "AttributeValue: {N:1}", () -> conditionalDelete("a.b BETWEEN :lo AND :hi", ":lo", n("5"), ":hi", n("1")));
        assertValidation("An operand in the update expression has an incorrect data type",
                () -> update("SET a.b = s + :one", ":one", n("1")));
        assertValidation("The document path provided in the update expression is invalid for update",
                () -> update("SET nope.x = :one", ":one", n("1")));
        assertValidation("The provided expression refers to an attribute that does not exist in the item",
                () -> update("SET a.b = nope + :one", ":one", n("1")));
    }
}
