package io.jormundb.api.txn;

import io.jormundb.api.Sdk;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.txn.Tables.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransactWriteItemsTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    static TransactWriteItem put(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build();
    }

    static TransactWriteItem delete(String table, Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key).build()).build();
    }

    /** {@code SET #a = #a + :d} on {@code id}, when {@code #a >= :min}. */
    static TransactWriteItem add(String table, String id, String attribute, long delta, long min,
                                 ReturnValuesOnConditionCheckFailure onFailure) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(id))
                .updateExpression("SET #a = #a + :d")
                .conditionExpression("#a >= :min")
                .expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":d", n(delta), ":min", n(min)))
                .returnValuesOnConditionCheckFailure(onFailure).build()).build();
    }

    static TransactWriteItem check(String table, Map<String, AttributeValue> key, String condition) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(key)
                .conditionExpression(condition).build()).build();
    }

    private static Map<String, AttributeValue> get(String table, String id) {
        return SERVER.client().getItem(b -> b.tableName(table).key(key(id)).consistentRead(true)).item();
    }

    private static void assertValidation(String message, List<TransactWriteItem> actions) {
        Sdk.assertValidation(message, () -> SERVER.client().transactWriteItems(b -> b.transactItems(actions)));
    }

    @Test
    void putUpdateDeleteAndConditionCheckOverSeveralTablesCommitTogether() {
        String accounts = Tables.create(SERVER.client(), "Accounts");
        String audit = Tables.createWithSortKey(SERVER.client(), "Audit");
        SERVER.client().putItem(b -> b.tableName(accounts).item(Tables.item("alice", "balance", 100)));
        SERVER.client().putItem(b -> b.tableName(accounts).item(Tables.item("bob", "balance", 5)));
        SERVER.client().putItem(b -> b.tableName(accounts).item(Tables.item("closed", "balance", 0)));

        SERVER.client().transactWriteItems(b -> b.transactItems(
                add(accounts, "alice", "balance", -30, 30, null),
                check(accounts, key("bob"), "attribute_exists(balance)"),
                delete(accounts, key("closed")),
                put(audit, Map.of("id", s("alice"), "sk", n(1), "amount", n(-30)))));

        assertEquals(Tables.item("alice", "balance", 70), get(accounts, "alice"));
        assertEquals(Tables.item("bob", "balance", 5), get(accounts, "bob"));
        assertFalse(SERVER.client().getItem(b -> b.tableName(accounts).key(key("closed"))).hasItem());
        assertEquals(List.of(Map.of("id", s("alice"), "sk", n(1), "amount", n(-30))),
                SERVER.client().scan(b -> b.tableName(audit)).items());
    }

    @Test
    void aFailedConditionCancelsEverythingWithOneReasonPerActionInOrder() {
        String table = Tables.create(SERVER.client(), "Cancel");
        SERVER.client().putItem(b -> b.tableName(table).item(Tables.item("poor", "balance", 10)));
        SERVER.client().putItem(b -> b.tableName(table).item(Tables.item("rich", "balance", 1000)));
        SERVER.client().putItem(b -> b.tableName(table).item(Tables.item("gone", "balance", 1)));

        TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
                () -> SERVER.client().transactWriteItems(b -> b.transactItems(
                        put(table, Tables.item("new", "balance", 1)),
                        add(table, "poor", "balance", -50, 50, ReturnValuesOnConditionCheckFailure.ALL_OLD),
                        check(table, key("nobody"), "attribute_exists(id)"),
                        add(table, "rich", "balance", -50, 50, ReturnValuesOnConditionCheckFailure.ALL_OLD),
                        delete(table, key("gone")))));

        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons "
                + "[None, ConditionalCheckFailed, ConditionalCheckFailed, None, None]", e.awsErrorDetails().errorMessage());
        assertEquals(List.of(
                CancellationReason.builder().code("None").build(),
                CancellationReason.builder().code("ConditionalCheckFailed").message("The conditional request failed")
                        .item(Tables.item("poor", "balance", 10)).build(),
                CancellationReason.builder().code("ConditionalCheckFailed").message("The conditional request failed")
                        .build(),
                CancellationReason.builder().code("None").build(),
                CancellationReason.builder().code("None").build()), e.cancellationReasons());
        assertFalse(SERVER.client().getItem(b -> b.tableName(table).key(key("new"))).hasItem());
        assertEquals(Tables.item("poor", "balance", 10), get(table, "poor"));
        assertEquals(Tables.item("rich", "balance", 1000), get(table, "rich"));
        assertEquals(Tables.item("gone", "balance", 1), get(table, "gone"));
    }

    @Test
    void aCancellationIsWrittenAsDynamoDbWritesIt() {
        String table = Tables.create(SERVER.client(), "CancelWire");
        // DynamoDB writes this error's text as "Message" (its other errors: "message").
        Wire.Reply reply = SERVER.get().wire().post("TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":"
                + "{\"TableName\":\"" + table + "\",\"Key\":{\"id\":{\"S\":\"nobody\"}},"
                + "\"ConditionExpression\":\"attribute_exists(id)\"}}]}");
        assertEquals(400, reply.status(), reply::text);
        assertEquals("com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                reply.json().path("__type").asText());
        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons "
                + "[ConditionalCheckFailed]", reply.json().path("Message").asText(), reply::text);
        assertFalse(reply.json().has("message"), reply::text);
        assertEquals("ConditionalCheckFailed", reply.json().path("CancellationReasons").path(0).path("Code").asText());
    }

    @Test
    void anActionThatFailsValidationOnTheStoredItemCancelsWithAValidationError() {
        String table = Tables.create(SERVER.client(), "CancelType");
        SERVER.client().putItem(b -> b.tableName(table).item(Map.of("id", s("text"), "balance", s("not a number"))));

        TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
                () -> SERVER.client().transactWriteItems(b -> b.transactItems(
                        put(table, Tables.item("new", "balance", 1)),
                        TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("text"))
                                .updateExpression("ADD balance :d")
                                .expressionAttributeValues(Map.of(":d", n(1))).build()).build())));

        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons "
                + "[None, ValidationError]", e.awsErrorDetails().errorMessage());
        assertEquals(List.of(CancellationReason.builder().code("None").build(),
                CancellationReason.builder().code("ValidationError").message("An operand in the update expression "
                        + "has an incorrect data type").build()), e.cancellationReasons());
        assertFalse(SERVER.client().getItem(b -> b.tableName(table).key(key("new"))).hasItem());
    }

    @Test
    void twoActionsOnOneItemAreRejected() {
        String table = Tables.create(SERVER.client(), "SameItem");
        String other = Tables.create(SERVER.client(), "SameItemOther");
        assertValidation("Transaction request cannot include multiple operations on one item", List.of(
                check(table, key("a"), "attribute_not_exists(id)"),
                put(other, Tables.item("a", "n", 1)),
                add(table, "a", "n", 1, 0, null)));
        assertFalse(SERVER.client().getItem(b -> b.tableName(other).key(key("a"))).hasItem());
    }

    @Test
    void aHundredActionsCommitAndAHundredAndOneOrNoneAreRejected() {
        String table = Tables.create(SERVER.client(), "Hundred");
        List<TransactWriteItem> actions = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            actions.add(put(table, Tables.item("k" + i, "n", i)));
        }
        assertValidation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
                + "Member must have length less than or equal to 100", actions);
        assertEquals(0, SERVER.client().scan(b -> b.tableName(table)).count());

        SERVER.client().transactWriteItems(b -> b.transactItems(actions.subList(0, 100)));
        assertEquals(100, SERVER.client().scan(b -> b.tableName(table)).count());

        assertValidation("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1", List.of());
    }

    @Test
    void anActionMustBeExactlyOneOfPutUpdateDeleteAndConditionCheck() {
        String table = Tables.create(SERVER.client(), "OneKind");
        assertValidation("TransactItems can only contain one of Check, Put, Update or Delete", List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(Tables.item("a", "n", 1)).build())
                        .delete(Delete.builder().tableName(table).key(key("b")).build()).build()));
        assertValidation("TransactItems can only contain one of Check, Put, Update or Delete", List.of(
                TransactWriteItem.builder().build()));
    }

    private static void assertCanceledAsInvalid(int at, String message, List<TransactWriteItem> actions) {
        Sdk.assertCanceledAsInvalid(actions.size(), at, message,
                () -> SERVER.client().transactWriteItems(b -> b.transactItems(actions)));
    }

    @Test
    void everyActionIsValidatedBeforeAnythingIsWritten() {
        String table = Tables.create(SERVER.client(), "TxValid");
        SERVER.client().putItem(b -> b.tableName(table).item(Tables.item("there", "n", 1)));
        // An invalid item or key cancels the transaction at the first such action, before any
        // condition is tested: the others' reasons are None, a false condition's too.
        TransactWriteItem falseCondition = check(table, key("there"), "attribute_not_exists(id)");
        assertCanceledAsInvalid(1, "One or more parameter values were invalid: Missing the key id in the item",
                List.of(falseCondition, put(table, Map.of("other", s("x"))), put(table, Map.of("id", n(7)))));
        assertCanceledAsInvalid(0, "One or more parameter values were invalid: Type mismatch for key id expected: S "
                + "actual: N", List.of(put(table, Map.of("id", n(7))), falseCondition));
        assertCanceledAsInvalid(1, "The provided key element does not match the schema", List.of(
                put(table, Tables.item("ok", "n", 1)), delete(table, Map.of("id", n(1)))));
        assertCanceledAsInvalid(1, "Item size has exceeded the maximum allowed size", List.of(
                put(table, Tables.item("ok", "n", 1)), put(table, Tables.sized("big", 400 * 1024 + 1))));
        // Errors in the request itself are still a ValidationException, whichever action has them.
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"", List.of(
                put(table, Map.of("id", n(7))), TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                        .tableName(table).key(key("there")).conditionExpression("id =").build()).build()));
        Sdk.assertDynamoError("ResourceNotFoundException", "Requested resource not found",
                () -> SERVER.client().transactWriteItems(b -> b.transactItems(put(table, Tables.item("ok", "n", 1)),
                        put("NoSuchTable", Tables.item("ok", "n", 1)))));
        assertEquals(List.of(Tables.item("there", "n", 1)), SERVER.client().scan(b -> b.tableName(table)).items(),
                "nothing was written");
    }
}
