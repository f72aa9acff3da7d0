package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable and the SDK waiters. */
class TablesTest {
    private static final String NOT_FOUND = "Requested resource not found: Table: %s not found";

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition def(String name, String type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    /** A valid on-demand CreateTable for {@code name} keyed by {@code id} (S), then {@code change}. */
    private static Consumer<CreateTableRequest.Builder> table(String name,
                                                             Consumer<CreateTableRequest.Builder> change) {
        return r -> change.accept(r.tableName(name).keySchema(key("id", KeyType.HASH))
                .attributeDefinitions(def("id", "S")).billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @Test
    void createdTableIsActiveAtOnceAndDescribedWithEverythingItWasCreatedWith() throws Exception {
        TestServer.with((server, client) -> {
            Instant before = Instant.now().minusSeconds(1);
            TableDescription created = client.createTable(r -> r.tableName("Orders")
                    .keySchema(key("id", KeyType.HASH))
                    .attributeDefinitions(def("id", "S"))
                    .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(7L))
                    .tags(t -> t.key("team").value("billing"))).tableDescription();
            Instant after = Instant.now().plusSeconds(1);
            TableDescription described = client.describeTable(r -> r.tableName("Orders")).table();

            for (TableDescription t : List.of(created, described)) {
                assertEquals("Orders", t.tableName());
                assertEquals(TableStatus.ACTIVE, t.tableStatus());
                assertEquals(List.of(key("id", KeyType.HASH)), t.keySchema());
                assertEquals(List.of(def("id", "S")), t.attributeDefinitions());
                assertEquals(5L, t.provisionedThroughput().readCapacityUnits());
                assertEquals(7L, t.provisionedThroughput().writeCapacityUnits());
                assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/Orders", t.tableArn());
                assertTrue(t.tableId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
                        t.tableId());
                assertTrue(!t.creationDateTime().isBefore(before) && !t.creationDateTime().isAfter(after),
                        () -> t.creationDateTime() + " not between " + before + " and " + after);
                assertEquals(0L, t.itemCount());
                assertEquals(0L, t.tableSizeBytes());
            }
            assertEquals(created.tableId(), described.tableId());
            assertEquals(created.creationDateTime(), described.creationDateTime());
        });
    }

    @ParameterizedTest(name = "HASH {0}, RANGE {1}")
    @CsvSource({"S,S", "S,N", "S,B", "N,S", "N,N", "N,B", "B,S", "B,N", "B,B"})
    void tablesWithHashAndRangeKeysOfEveryScalarTypeAreCreated(String hashType, String rangeType) throws Exception {
        TestServer.with((server, client) -> {
            client.createTable(r -> r.tableName("Composite")
                    .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                    .attributeDefinitions(def("sk", rangeType), def("pk", hashType))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            TableDescription t = client.describeTable(r -> r.tableName("Composite")).table();
            assertEquals(List.of(key("pk", KeyType.HASH), key("sk", KeyType.RANGE)), t.keySchema());
            assertEquals(List.of(def("pk", hashType), def("sk", rangeType)), t.attributeDefinitions());
        });
    }

    @Test
    void onDemandBillingIsEchoedInTheBillingModeSummary() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "OnDemand");
            TableDescription t = client.describeTable(r -> r.tableName("OnDemand")).table();
            assertEquals(BillingMode.PAY_PER_REQUEST, t.billingModeSummary().billingMode());
            assertEquals(0L, t.provisionedThroughput().readCapacityUnits());
            assertEquals(0L, t.provisionedThroughput().writeCapacityUnits());
        });
    }

    @Test
    void describeTableCountsItemsAndTheirBytesExactly() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Counted");
            // Size per DynamoDB: UTF-8 lengths of attribute names and string values.
            client.putItem(r -> r.tableName("Counted").item(item("id", s("abc"), "name", s("hello")))); // 2+3+4+5
            client.putItem(r -> r.tableName("Counted").item(item("id", s("é")))); // 2+2
            client.putItem(r -> r.tableName("Counted").item(item("id", s("gone"))));
            client.deleteItem(r -> r.tableName("Counted").key(item("id", s("gone"))));
            TableDescription t = client.describeTable(r -> r.tableName("Counted")).table();
            assertEquals(2L, t.itemCount());
            assertEquals(18L, t.tableSizeBytes());
        });
    }

    @Test
    void creatingAnExistingTableIsResourceInUse() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Orders");
            assertInstanceOf(ResourceInUseException.class, assertDynamoError("ResourceInUseException",
                    "Table already exists: Orders", () -> createTable(client, "Orders")));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "a.b-c_D9", "UPPER.lower-123_"})
    void tableNamesOfThreeOrMoreAllowedCharactersAreAccepted(String name) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, name);
            assertEquals(name, client.describeTable(r -> r.tableName(name)).table().tableName());
        });
    }

    @Test
    void aTableNameOf255CharactersIsAcceptedAnd256IsNot() throws Exception {
        TestServer.with((server, client) -> {
            String longest = "t".repeat(255);
            createTable(client, longest);
            assertEquals(List.of(longest), client.listTables().tableNames());
            String tooLong = "t".repeat(256);
            assertValidation("1 validation error detected: Value '" + tooLong + "' at 'tableName' failed to satisfy "
                    + "constraint: Member must have length less than or equal to 255", () -> createTable(client, tooLong));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b c", "tä-ble", "semi;colon", "slash/name"})
    void tableNamesWithOtherCharactersAreRejected(String name) throws Exception {
        TestServer.with((server, client) -> assertValidation("1 validation error detected: Value '" + name
                + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[a-zA-Z0-9_.-]+", () -> createTable(client, name)));
    }

    @Test
    void tableNamesShorterThanThreeCharactersAreRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation("1 validation error detected: Value 'ab' at "
                + "'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
                () -> createTable(client, "ab")));
    }

    @Test
    void aKeyAttributeMissingFromAttributeDefinitionsIsRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation("One or more parameter values were invalid: Some index "
                + "key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]",
                () -> client.createTable(table("Orders", r -> r.attributeDefinitions(def("other", "S"))))));
    }

    @Test
    void anAttributeDefinitionThatIsNoKeyIsRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation("One or more parameter values were invalid: Number of "
                + "attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
                () -> client.createTable(table("Orders",
                        r -> r.attributeDefinitions(def("id", "S"), def("extra", "N"))))));
    }

    @Test
    void aKeyAttributeTypeOtherThanStringNumberOrBinaryIsRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation("1 validation error detected: Value 'BOOL' at "
                + "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy "
                + "enum value set: [B, N, S]",
                () -> client.createTable(table("Orders", r -> r.attributeDefinitions(def("id", "BOOL"))))));
    }

    @Test
    void aKeySchemaThatDoesNotStartWithHashIsRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation(
                "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                () -> client.createTable(table("Orders", r -> r
                        .keySchema(key("sk", KeyType.RANGE), key("id", KeyType.HASH))
                        .attributeDefinitions(def("id", "S"), def("sk", "S"))))));
    }

    @Test
    void aKeySchemaWithTwoHashKeysIsRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation(
                "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
                () -> client.createTable(table("Orders", r -> r
                        .keySchema(key("id", KeyType.HASH), key("sk", KeyType.HASH))
                        .attributeDefinitions(def("id", "S"), def("sk", "S"))))));
    }

    @Test
    void provisionedBillingWithoutThroughputIsRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation("One or more parameter values were invalid: "
                + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                () -> client.createTable(table("Orders", r -> r.billingMode((String) null)))));
    }

    @Test
    void onDemandBillingWithThroughputIsRejected() throws Exception {
        TestServer.with((server, client) -> assertValidation("One or more parameter values were invalid: Neither "
                + "ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
                () -> client.createTable(table("Orders", r -> r
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))))));
    }

    @Test
    void describingAMissingTableIsResourceNotFound() throws Exception {
        TestServer.with((server, client) -> assertInstanceOf(ResourceNotFoundException.class,
                assertDynamoError("ResourceNotFoundException", NOT_FOUND.formatted("Nope"),
                        () -> client.describeTable(r -> r.tableName("Nope")))));
    }

    @Test
    void listTablesReturnsEveryNameInOrderAndPagesWithLimitAndExclusiveStartTableName() throws Exception {
        TestServer.with((server, client) -> {
            for (String name : List.of("tab-c", "alpha", "tab-a", "Zeta", "tab-b")) {
                createTable(client, name);
            }
            assertEquals(List.of("Zeta", "alpha", "tab-a", "tab-b", "tab-c"), client.listTables().tableNames());

            ListTablesResponse first = client.listTables(r -> r.limit(2));
            assertEquals(List.of("Zeta", "alpha"), first.tableNames());
            assertEquals("alpha", first.lastEvaluatedTableName());
            ListTablesResponse second = client.listTables(r -> r.limit(2).exclusiveStartTableName("alpha"));
            assertEquals(List.of("tab-a", "tab-b"), second.tableNames());
            assertEquals("tab-b", second.lastEvaluatedTableName());
            ListTablesResponse last = client.listTables(r -> r.limit(2).exclusiveStartTableName("tab-b"));
            assertEquals(List.of("tab-c"), last.tableNames());
            assertNull(last.lastEvaluatedTableName());

            assertEquals(List.of("tab-b", "tab-c"),
                    client.listTables(r -> r.exclusiveStartTableName("tab-aa")).tableNames());
            List<String> paged = new ArrayList<>();
            client.listTablesPaginator(r -> r.limit(1)).tableNames().forEach(paged::add);
            assertEquals(List.of("Zeta", "alpha", "tab-a", "tab-b", "tab-c"), paged);
        });
    }

    @Test
    void listTablesLimitMustBeBetweenOneAndOneHundred() throws Exception {
        TestServer.with((server, client) -> {
            assertValidation("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 1", () -> client.listTables(r -> r.limit(0)));
            assertValidation("1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
                    + "Member must have value less than or equal to 100", () -> client.listTables(r -> r.limit(101)));
            assertEquals(List.of(), client.listTables(r -> r.limit(100)).tableNames());
        });
    }

    @Test
    void deleteTableRemovesItsItemsAndThenTheTableIsNotFound() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Orders");
            for (String id : List.of("a", "b", "c")) {
                client.putItem(r -> r.tableName("Orders").item(item("id", s(id))));
            }
            TableDescription deleted = client.deleteTable(r -> r.tableName("Orders")).tableDescription();
            assertEquals("Orders", deleted.tableName());
            assertEquals(TableStatus.DELETING, deleted.tableStatus());
            assertEquals(3L, deleted.itemCount());
            assertTrue(deleted.tableArn().endsWith(":table/Orders"), deleted.tableArn());
            // As DynamoDB's: without the schema DescribeTable gives.
            assertFalse(deleted.hasKeySchema() || deleted.hasAttributeDefinitions() || deleted.hasGlobalSecondaryIndexes()
                    || deleted.hasLocalSecondaryIndexes() || deleted.creationDateTime() != null, deleted::toString);

            assertDynamoError("ResourceNotFoundException", NOT_FOUND.formatted("Orders"),
                    () -> client.describeTable(r -> r.tableName("Orders")));
            assertDynamoError("ResourceNotFoundException", NOT_FOUND.formatted("Orders"),
                    () -> client.deleteTable(r -> r.tableName("Orders")));
            assertEquals(List.of(), client.listTables().tableNames());

            createTable(client, "Orders");
            assertFalse(client.getItem(r -> r.tableName("Orders").key(item("id", s("a")))).hasItem());
            assertEquals(0, client.scan(r -> r.tableName("Orders")).count());
            assertEquals(0L, client.describeTable(r -> r.tableName("Orders")).table().itemCount());
        });
    }

    @Test
    void updateTableSwitchesBillingModeAndChangesThroughput() throws Exception {
        TestServer.with((server, client) -> {
            client.createTable(table("Orders", r -> r.billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L))));

            TableDescription raised = client.updateTable(r -> r.tableName("Orders")
                    .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(20L))).tableDescription();
            assertEquals(10L, raised.provisionedThroughput().readCapacityUnits());
            assertEquals(20L, raised.provisionedThroughput().writeCapacityUnits());
            assertValidation("The provisioned throughput for the table will not change. The requested value equals "
                    + "the current value. Current ReadCapacityUnits provisioned for the table: 10. Requested "
                    + "ReadCapacityUnits: 10. Current WriteCapacityUnits provisioned for the table: 20. Requested "
                    + "WriteCapacityUnits: 20. Refer to the Amazon DynamoDB Developer Guide for current limits and how "
                    + "to request higher limits.", () -> client.updateTable(r -> r.tableName("Orders")
                    .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(20L))));
            client.updateTable(r -> r.tableName("Orders")
                    .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(21L)));

            client.updateTable(r -> r.tableName("Orders").billingMode(BillingMode.PAY_PER_REQUEST));
            TableDescription onDemand = client.describeTable(r -> r.tableName("Orders")).table();
            assertEquals(BillingMode.PAY_PER_REQUEST, onDemand.billingModeSummary().billingMode());
            assertEquals(0L, onDemand.provisionedThroughput().readCapacityUnits());

            client.updateTable(r -> r.tableName("Orders").billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(p -> p.readCapacityUnits(3L).writeCapacityUnits(4L)));
            TableDescription provisioned = client.describeTable(r -> r.tableName("Orders")).table();
            assertEquals(BillingMode.PROVISIONED, provisioned.billingModeSummary().billingMode());
            assertEquals(3L, provisioned.provisionedThroughput().readCapacityUnits());
            assertEquals(4L, provisioned.provisionedThroughput().writeCapacityUnits());
        });
    }

    @Test
    void updateTableToProvisionedWithoutThroughputIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Orders");
            assertValidation("One or more parameter values were invalid: ProvisionedThroughput must be specified "
                    + "when BillingMode is PROVISIONED",
                    () -> client.updateTable(r -> r.tableName("Orders").billingMode(BillingMode.PROVISIONED)));
        });
    }

    @Test
    void updatingAMissingTableIsResourceNotFound() throws Exception {
        TestServer.with((server, client) -> assertDynamoError("ResourceNotFoundException",
                NOT_FOUND.formatted("Nope"), () -> client.updateTable(r -> r.tableName("Nope")
                        .billingMode(BillingMode.PAY_PER_REQUEST))));
    }

    @Test
    void theSdkWaitersReturnAtTheirFirstAttempt() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Orders");
            WaiterResponse<DescribeTableResponse> exists =
                    client.waiter().waitUntilTableExists(r -> r.tableName("Orders"));
            assertEquals(1, exists.attemptsExecuted());
            assertEquals(TableStatus.ACTIVE, exists.matched().response().orElseThrow().table().tableStatus());

            client.deleteTable(r -> r.tableName("Orders"));
            WaiterResponse<DescribeTableResponse> gone =
                    client.waiter().waitUntilTableNotExists(r -> r.tableName("Orders"));
            assertEquals(1, gone.attemptsExecuted());
            assertInstanceOf(ResourceNotFoundException.class, gone.matched().exception().orElseThrow());
        });
    }

}
