package io.jormundb.api;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableClass;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Map;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table settings that table-managing tools set and read back: deletion protection (a protected
 * table cannot be deleted, as in DynamoDB), the table class, and a table named by its ARN.
 */
class TableSettingsTest {
    private static TableDescription describe(DynamoDbClient db, String table) {
        return db.describeTable(b -> b.tableName(table)).table();
    }

    @Test
    void aProtectedTableCannotBeDeletedUntilItsProtectionIsTurnedOffAndBothSettingsSurviveARestart()
            throws Exception {
        try (TestServer server = TestServer.start()) {
            DynamoDbClient db = server.client();
            db.createTable(b -> b.tableName("Kept").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .deletionProtectionEnabled(true).tableClass(TableClass.STANDARD_INFREQUENT_ACCESS));
            db.putItem(b -> b.tableName("Kept").item(item("id", s("a"))));
            server.restart();
            db = server.client();
            TableDescription kept = describe(db, "Kept");
            assertTrue(kept.deletionProtectionEnabled());
            assertEquals(TableClass.STANDARD_INFREQUENT_ACCESS, kept.tableClassSummary().tableClass());
            DynamoDbClient client = db;
            assertValidation("Resource cannot be deleted as it is currently protected against deletion. Disable "
                    + "deletion protection first.", () -> client.deleteTable(b -> b.tableName("Kept")));
            assertEquals(1, db.scan(b -> b.tableName("Kept")).count(), "nothing was deleted");

            db.updateTable(b -> b.tableName("Kept").deletionProtectionEnabled(false));
            TableDescription unprotected = describe(db, "Kept");
            assertFalse(unprotected.deletionProtectionEnabled());
            assertEquals(TableClass.STANDARD_INFREQUENT_ACCESS, unprotected.tableClassSummary().tableClass(),
                    "changing one setting keeps the other");
            db.updateTable(b -> b.tableName("Kept").tableClass(TableClass.STANDARD));
            assertNull(describe(db, "Kept").tableClassSummary());
            db.deleteTable(b -> b.tableName("Kept"));
            assertTrue(db.listTables().tableNames().isEmpty());
        }
    }

    @Test
    void anUnknownTableClassIsRefusedAsDynamoDbRefusesIt() throws Exception {
        TestServer.with((server, db) -> {
            String table = createTable(db, "Classy");
            assertValidation("1 validation error detected: Value 'GLACIER' at 'tableClass' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]",
                    () -> db.updateTable(b -> b.tableName(table).tableClass("GLACIER")));
            assertValidation("1 validation error detected: Value 'GLACIER' at 'tableClass' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]",
                    () -> db.createTable(b -> b.tableName("Other").billingMode("PAY_PER_REQUEST")
                            .keySchema(k -> k.attributeName("id").keyType("HASH"))
                            .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                            .tableClass("GLACIER")));
            assertFalse(db.listTables().tableNames().contains("Other"));
        });
    }

    @Test
    void aTableArnNamesItsTableWhereverATableNameIsAsked() throws Exception {
        TestServer.with((server, db) -> {
            String table = createTable(db, "ByArn");
            String arn = describe(db, table).tableArn();
            db.putItem(b -> b.tableName(arn).item(item("id", s("k"), "v", s("1"))));
            assertEquals(Map.of("id", s("k"), "v", s("1")),
                    db.getItem(b -> b.tableName(arn).key(item("id", s("k")))).item());
            assertEquals(table, describe(db, arn).tableName());
            assertValidation("Invalid TableName: arn:aws:s3:::bucket is neither a table name nor a table ARN "
                    + "(arn:aws:dynamodb:<region>:<account>:table/<name>)",
                    () -> db.describeTable(b -> b.tableName("arn:aws:s3:::bucket")));
        });
    }

    @Test
    void everyOperationOfTheApiReferenceThatIsNotServedSaysSo() throws Exception {
        TestServer.with((server, db) -> {
            for (String operation : new String[] {"ListExports", "DescribeExport", "ListImports", "DescribeImport",
                    "DescribeGlobalTableSettings", "UpdateGlobalTableSettings", "ListContributorInsights",
                    "UpdateKinesisStreamingDestination"}) {
                server.wire().post(operation, "{}").assertError(400, "UnknownOperationException",
                        operation + " is a DynamoDB operation that JormunDB does not support yet");
            }
        });
    }
}
