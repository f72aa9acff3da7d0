package io.jormundb.api.auth;

import io.jormundb.api.TestServer;
import io.jormundb.api.dynamo.DynamoProtocol;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.shards.DynamoStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read-only key reads and never writes; a key limited to some tables touches no other, not even
 * inside a batch or a transaction that also names its own tables (refused whole, nothing done).
 */
class AccessTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass(Keys::withAuth);
    private static DynamoDbClient admin;
    private static DynamoDbClient reader;
    private static DynamoDbClient orders;

    @BeforeAll
    static void tables() {
        admin = SERVER.client();
        reader = Keys.client(SERVER.endpoint(), Keys.READER);
        orders = Keys.client(SERVER.endpoint(), Keys.ORDERS);
        for (String table : List.of("Orders", "Orders-archive", "Users", "Zeta")) {
            createTable(admin, table);
            admin.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(true)
                    .streamViewType(StreamViewType.NEW_IMAGE)));
            admin.putItem(r -> r.tableName(table).item(item("id", s("first"))));
        }
    }

    private static void assertDenied(String keyId, String action, String table, Executable call) {
        assertDynamoError("AccessDeniedException", "User: arn:aws:iam::000000000000:user/" + keyId
                + " is not authorized to perform: dynamodb:" + action + " on resource: "
                + "arn:aws:dynamodb:us-east-1:000000000000:table/" + table
                + " because no identity-based policy allows the dynamodb:" + action + " action", call);
    }

    @Test
    void aReadOnlyKeyReadsEveryTable() {
        assertEquals("first", reader.getItem(r -> r.tableName("Users").key(item("id", s("first")))).item().get("id").s());
        assertEquals(1, reader.scan(r -> r.tableName("Orders")).count());
        assertEquals("Users", reader.describeTable(r -> r.tableName("Users")).table().tableName());
    }

    @Test
    void aReadOnlyKeyWritesNothing() {
        assertDenied("AKIDREADER", "PutItem", "Orders",
                () -> reader.putItem(r -> r.tableName("Orders").item(item("id", s("by-reader")))));
        assertDenied("AKIDREADER", "UpdateItem", "Orders", () -> reader.updateItem(r -> r.tableName("Orders")
                .key(item("id", s("first"))).updateExpression("SET x = :x")
                .expressionAttributeValues(Map.of(":x", s("y")))));
        assertDenied("AKIDREADER", "DeleteItem", "Orders",
                () -> reader.deleteItem(r -> r.tableName("Orders").key(item("id", s("first")))));
        assertDenied("AKIDREADER", "DeleteTable", "Users", () -> reader.deleteTable(r -> r.tableName("Users")));
        assertDenied("AKIDREADER", "CreateTable", "New", () -> createTable(reader, "New"));
        assertDenied("AKIDREADER", "UpdateTimeToLive", "Users", () -> reader.updateTimeToLive(r -> r.tableName("Users")
                .timeToLiveSpecification(t -> t.enabled(true).attributeName("ttl"))));
        assertDenied("AKIDREADER", "TagResource", "Users", () -> reader.tagResource(r -> r
                .resourceArn("arn:aws:dynamodb:us-east-1:000000000000:table/Users").tags(t -> t.key("k").value("v"))));
        assertEquals(List.of("Orders", "Orders-archive", "Users", "Zeta"), admin.listTables().tableNames());
        assertEquals(0, admin.getItem(r -> r.tableName("Orders").key(item("id", s("by-reader")))).item().size());
        assertEquals("first", admin.getItem(r -> r.tableName("Orders").key(item("id", s("first")))).item().get("id").s());
    }

    @Test
    void aKeyLimitedToSomeTablesReadsAndWritesThemOnly() {
        orders.putItem(r -> r.tableName("Orders").item(item("id", s("o1"))));
        orders.putItem(r -> r.tableName("Orders-archive").item(item("id", s("o1"))));
        assertEquals(1, orders.getItem(r -> r.tableName("Orders").key(item("id", s("o1")))).item().size());
        assertDenied("AKIDORDERS", "GetItem", "Users",
                () -> orders.getItem(r -> r.tableName("Users").key(item("id", s("first")))));
        assertDenied("AKIDORDERS", "Scan", "Users", () -> orders.scan(r -> r.tableName("Users")));
        assertDenied("AKIDORDERS", "PutItem", "Users",
                () -> orders.putItem(r -> r.tableName("Users").item(item("id", s("o1")))));
    }

    @Test
    void aTransactionNamingAForbiddenTableIsRefusedWhole() {
        assertDenied("AKIDORDERS", "PutItem", "Users", () -> orders.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("Orders").item(item("id", s("txn")))).build(),
                TransactWriteItem.builder().put(p -> p.tableName("Users").item(item("id", s("txn")))).build())));
        assertEquals(0, admin.getItem(r -> r.tableName("Orders").key(item("id", s("txn")))).item().size());
        assertDenied("AKIDORDERS", "ConditionCheckItem", "Users", () -> orders.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("Orders").item(item("id", s("txn")))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("Users").key(item("id", s("first")))
                        .conditionExpression("attribute_exists(id)")).build())));
        assertEquals(0, admin.getItem(r -> r.tableName("Orders").key(item("id", s("txn")))).item().size());
    }

    @Test
    void aBatchNamingAForbiddenTableIsRefusedWhole() {
        WriteRequest put = WriteRequest.builder().putRequest(PutRequest.builder().item(item("id", s("batch"))).build())
                .build();
        assertDenied("AKIDORDERS", "BatchWriteItem", "Users", () -> orders.batchWriteItem(r -> r.requestItems(
                Map.of("Orders", List.of(put), "Users", List.of(put)))));
        assertEquals(0, admin.getItem(r -> r.tableName("Orders").key(item("id", s("batch")))).item().size());
        KeysAndAttributes first = KeysAndAttributes.builder().keys(item("id", s("first"))).build();
        assertDenied("AKIDORDERS", "BatchGetItem", "Users", () -> orders.batchGetItem(r -> r.requestItems(
                Map.of("Orders", first, "Users", first))));
    }

    @Test
    void aTableArnIsCheckedAsTheTableItNamesNotAsText() {
        // The ARN's region is any text, so "*Orders*" would match it if the ARN were taken as a name.
        DynamoDbClient infix = Keys.client(SERVER.endpoint(), Keys.INFIX);
        String usersArn = "arn:aws:dynamodb:xOrdersx:000000000000:table/Users";
        assertDenied("AKIDINFIX", "GetItem", "Users",
                () -> infix.getItem(r -> r.tableName(usersArn).key(item("id", s("first")))));
        assertDenied("AKIDINFIX", "PutItem", "Users", () -> infix.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(usersArn).item(item("id", s("arn")))).build())));
        assertDenied("AKIDINFIX", "BatchWriteItem", "Users", () -> infix.batchWriteItem(r -> r.requestItems(
                Map.of(usersArn, List.of(WriteRequest.builder().putRequest(p -> p.item(item("id", s("arn")))).build())))));
        assertDenied("AKIDINFIX", "BatchGetItem", "Users", () -> infix.batchGetItem(r -> r.requestItems(
                Map.of(usersArn, KeysAndAttributes.builder().keys(item("id", s("first"))).build()))));
        assertEquals(0, admin.getItem(r -> r.tableName("Users").key(item("id", s("arn")))).item().size());
        // Its own table by ARN is its own table.
        String ordersArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders";
        assertEquals("first", orders.getItem(r -> r.tableName(ordersArn).key(item("id", s("first")))).item().get("id")
                .s());
    }

    @Test
    void listingTablesShowsOnlyTheTablesAKeyMayRead() {
        assertEquals(List.of("Orders", "Orders-archive"), orders.listTables().tableNames());
        assertEquals(List.of("Orders", "Orders-archive", "Users", "Zeta"), reader.listTables().tableNames());
        // Page by page, no page (nor where the next one starts) names a table the key may not read.
        var last = orders.listTables(r -> r.exclusiveStartTableName("Orders-archive").limit(1));
        assertEquals(List.of(), last.tableNames());
        assertNull(last.lastEvaluatedTableName(), "the next page would start at a hidden table");
        var first = orders.listTables(r -> r.limit(1));
        assertEquals(List.of("Orders"), first.tableNames());
        assertEquals("Orders", first.lastEvaluatedTableName());
    }

    @Test
    void theStreamsApiOfAForbiddenTableIsRefused() {
        try (DynamoDbStreamsClient adminStreams = SERVER.streams();
             DynamoDbStreamsClient ordersStreams = streams(Keys.ORDERS)) {
            assertEquals(Set.of("Orders", "Orders-archive"), new TreeSet<>(ordersStreams.listStreams().streams()
                    .stream().map(s -> s.tableName()).toList()));
            String archive = ordersStreams.listStreams(r -> r.tableName("Orders-archive")).streams().getFirst()
                    .streamArn();
            var after = ordersStreams.listStreams(r -> r.exclusiveStartStreamArn(archive).limit(1));
            assertEquals(List.of(), after.streams());
            assertNull(after.lastEvaluatedStreamArn(), "the next page would start at a hidden table's stream");
            String usersArn = adminStreams.listStreams(r -> r.tableName("Users")).streams().getFirst().streamArn();
            String shard = adminStreams.describeStream(r -> r.streamArn(usersArn)).streamDescription().shards()
                    .getFirst().shardId();
            String iterator = adminStreams.getShardIterator(r -> r.streamArn(usersArn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            assertDynamoError("AccessDeniedException", "User: arn:aws:iam::000000000000:user/AKIDORDERS is not "
                    + "authorized to perform: dynamodb:DescribeStream on resource: " + usersArn + " because no "
                    + "identity-based policy allows the dynamodb:DescribeStream action",
                    () -> ordersStreams.describeStream(r -> r.streamArn(usersArn)));
            assertDynamoError("AccessDeniedException", "User: arn:aws:iam::000000000000:user/AKIDORDERS is not "
                    + "authorized to perform: dynamodb:GetRecords on resource: arn:aws:dynamodb:us-east-1:000000000000"
                    + ":table/Users/stream/* because no identity-based policy allows the dynamodb:GetRecords action",
                    () -> ordersStreams.getRecords(r -> r.shardIterator(iterator)));
        }
    }

    @Test
    void everyOperationServedIsClassifiedAsReadOrWrite() {
        DynamoProtocol protocol = new DynamoProtocol(SERVER.server().engine(),
                new DynamoStreams(new Changelog(SERVER.server().engine()), Duration.ofHours(1)), () -> "localhost",
                (operation, error, nanos) -> { });
        assertTrue(protocol.operations().size() > 25, protocol.operations()::toString);
        for (String operation : protocol.operations()) {
            assertTrue(HttpAuth.classifies(operation), operation + " is not classified as a read or a write");
        }
    }

    private static DynamoDbStreamsClient streams(AccessKey key) {
        return DynamoDbStreamsClient.builder().endpointOverride(SERVER.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.id(), key.secret())))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
