package io.jormundb.api.streams;

import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.unique;
import static io.jormundb.api.streams.StreamReads.allRecords;
import static io.jormundb.api.streams.StreamReads.createTable;
import static io.jormundb.api.streams.StreamReads.iterator;
import static io.jormundb.api.streams.StreamReads.readOn;
import static io.jormundb.api.streams.StreamReads.shardOf;
import static io.jormundb.api.streams.StreamReads.shards;
import static io.jormundb.api.streams.StreamReads.streamArn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB Streams API through the SDK v2's {@code DynamoDbStreamsClient}: StreamSpecification
 * on the table operations, every operation and iterator type, the records of every view type,
 * pagination, the limits and the errors, each with DynamoDB's message.
 */
class StreamsApiTest {
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/%s/stream/"
            + "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}";

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @Test
    void aTableCreatedWithAStreamDescribesItAndListStreamsListsIt() {
        DynamoDbClient db = SERVER.client();
        String table = unique("Created");
        CreateTableResponse created = db.createTable(r -> r.tableName(table)
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .billingMode("PAY_PER_REQUEST")
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        TableDescription description = created.tableDescription();
        assertTrue(description.latestStreamArn().matches(ARN.formatted(table)), description.latestStreamArn());
        assertEquals(description.latestStreamArn(), description.tableArn() + "/stream/"
                + description.latestStreamLabel());
        assertEquals(true, description.streamSpecification().streamEnabled());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, description.streamSpecification().streamViewType());
        TableDescription described = db.describeTable(r -> r.tableName(table)).table();
        assertEquals(description.latestStreamArn(), described.latestStreamArn());
        assertEquals(description.latestStreamLabel(), described.latestStreamLabel());
        assertEquals(description.streamSpecification(), described.streamSpecification());

        ListStreamsResponse listed = SERVER.streams().listStreams(r -> r.tableName(table));
        assertEquals(1, listed.streams().size());
        assertEquals(description.latestStreamArn(), listed.streams().getFirst().streamArn());
        assertEquals(table, listed.streams().getFirst().tableName());
        assertEquals(description.latestStreamLabel(), listed.streams().getFirst().streamLabel());
        assertNull(listed.lastEvaluatedStreamArn());
        String missing = unique("NoSuchTable");
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Table: " + missing + " not found",
                () -> SERVER.streams().listStreams(r -> r.tableName(missing)));
    }

    @Test
    void aTableWithoutAStreamHasNoneToDescribeOrList() {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("NoStream"), null);
        TableDescription described = db.describeTable(r -> r.tableName(table)).table();
        assertNull(described.latestStreamArn());
        assertNull(described.streamSpecification());
        assertEquals(List.of(), SERVER.streams().listStreams(r -> r.tableName(table)).streams());
    }

    @Test
    void streamSpecificationsDynamoDbRefusesAreRefusedWithItsMessages() {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("Spec"), StreamViewType.KEYS_ONLY);
        assertValidation("Table already has an enabled stream: TableName: " + table, () -> db.updateTable(r -> r
                .tableName(table).streamSpecification(s -> s.streamEnabled(true).streamViewType("KEYS_ONLY"))));
        assertValidation("Table already has an enabled stream: TableName: " + table, () -> db.updateTable(r -> r
                .tableName(table).streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_IMAGE"))));
        assertValidation("One or more parameter values were invalid: If stream is being disabled, then "
                + "UpdateViewType must not be specified", () -> db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(false).streamViewType("KEYS_ONLY"))));
        assertValidation("You cannot modify stream status while updating table IOPS", () -> db.updateTable(r -> r
                .tableName(table).streamSpecification(s -> s.streamEnabled(false))
                .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))));
        db.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        assertValidation("Table has no stream to disable: TableName: " + table, () -> db.updateTable(r -> r
                .tableName(table).streamSpecification(s -> s.streamEnabled(false))));
        assertValidation("One or more parameter values were invalid: If stream is being enabled then UpdateViewType "
                + "is required", () -> db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true))));
        assertValidation("1 validation error detected: Value 'new_image' at 'streamSpecification.streamViewType' "
                + "failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, "
                + "NEW_AND_OLD_IMAGES, NEW_IMAGE]", () -> db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType("new_image"))));
        assertValidation("1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to "
                + "satisfy constraint: Member must not be null", () -> db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamViewType("NEW_IMAGE"))));
        assertValidation("One or more parameter values were invalid: Table is being created with a stream disabled, "
                + "UpdateViewType should not be specified", () -> db.createTable(r -> r.tableName(unique("Bad"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S")).billingMode("PAY_PER_REQUEST")
                .streamSpecification(s -> s.streamEnabled(false).streamViewType("NEW_IMAGE"))));
        assertValidation("One or more parameter values were invalid: Table is being created with a stream enabled, "
                + "UpdateViewType is required", () -> db.createTable(r -> r.tableName(unique("Bad"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S")).billingMode("PAY_PER_REQUEST")
                .streamSpecification(s -> s.streamEnabled(true))));
    }

    @Test
    void describeStreamShowsOneOpenShardPerChangelogPartitionInShardIdOrder() {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("Described"), StreamViewType.NEW_IMAGE);
        String arn = streamArn(db, table);
        StreamDescription d = SERVER.streams().describeStream(r -> r.streamArn(arn)).streamDescription();
        assertEquals(arn, d.streamArn());
        assertEquals(arn.substring(arn.lastIndexOf('/') + 1), d.streamLabel());
        assertEquals(StreamStatus.ENABLED, d.streamStatus());
        assertEquals(StreamViewType.NEW_IMAGE, d.streamViewType());
        assertEquals(table, d.tableName());
        assertEquals(List.of("pk:HASH", "sk:RANGE"), d.keySchema().stream()
                .map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList());
        assertTrue(Math.abs(d.creationRequestDateTime().toEpochMilli() - Instant.now().toEpochMilli()) < 60_000);
        assertNull(d.lastEvaluatedShardId());
        List<String> ids = d.shards().stream().map(Shard::shardId).toList();
        assertEquals(4, ids.size());
        assertEquals(ids.stream().sorted().toList(), ids);
        for (Shard shard : d.shards()) {
            assertTrue(shard.shardId().matches("shardId-\\d{20}-\\d{8}"), shard.shardId());
            assertTrue(shard.sequenceNumberRange().startingSequenceNumber().matches("\\d{21,40}"));
            assertNull(shard.sequenceNumberRange().endingSequenceNumber());
            assertNull(shard.parentShardId());
        }
        assertEquals(List.of(), SERVER.streams().describeStream(r -> r.streamArn(arn)
                .shardFilter(f -> f.type("CHILD_SHARDS").shardId(ids.getFirst()))).streamDescription().shards());
    }

    @Test
    void describeStreamPagesItsShardsByExclusiveStartShardId() {
        DynamoDbClient db = SERVER.client();
        String arn = streamArn(db, createTable(db, unique("Paged"), StreamViewType.KEYS_ONLY));
        List<String> all = shards(SERVER.streams(), arn).stream().map(Shard::shardId).toList();
        List<String> paged = new ArrayList<>();
        String start = null;
        int pages = 0;
        do {
            String from = start;
            StreamDescription page = SERVER.streams().describeStream(r -> r.streamArn(arn).limit(3)
                    .exclusiveStartShardId(from)).streamDescription();
            page.shards().forEach(s -> paged.add(s.shardId()));
            start = page.lastEvaluatedShardId();
            assertEquals(start == null ? null : paged.getLast(), start);
            pages++;
        } while (start != null);
        assertEquals(all, paged);
        assertEquals(2, pages);
        assertEquals(List.of(), SERVER.streams().describeStream(r -> r.streamArn(arn)
                .exclusiveStartShardId(all.getLast())).streamDescription().shards());
        assertEquals(List.of(), SERVER.streams().describeStream(r -> r.streamArn(arn)
                .exclusiveStartShardId("zzzzzzzzzzzzzzzzzzzzzzzzsfasdgagadfadfgagkjsdfsfsdjfjks")).streamDescription()
                .shards());
    }

    @Test
    void listStreamsPagesByExclusiveStartStreamArnInTableNameOrder() {
        DynamoDbClient db = SERVER.client();
        String prefix = unique("Listed");
        List<String> arns = new ArrayList<>();
        for (String suffix : List.of("-c", "-a", "-b")) {
            arns.add(streamArn(db, createTable(db, prefix + suffix, StreamViewType.KEYS_ONLY)));
        }
        List<String> everything = SERVER.streams().listStreams().streams().stream()
                .map(s -> s.streamArn()).toList();
        List<String> ours = everything.stream().filter(arns::contains).toList();
        assertEquals(List.of(arns.get(1), arns.get(2), arns.get(0)), ours);
        List<String> paged = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            ListStreamsResponse page = SERVER.streams().listStreams(r -> r.limit(2).exclusiveStartStreamArn(from));
            assertTrue(page.streams().size() <= 2);
            page.streams().forEach(s -> paged.add(s.streamArn()));
            start = page.lastEvaluatedStreamArn();
        } while (start != null);
        assertEquals(everything, paged);
        ListStreamsResponse afterA = SERVER.streams().listStreams(r -> r.exclusiveStartStreamArn(arns.get(1)));
        assertEquals(everything.subList(everything.indexOf(arns.get(1)) + 1, everything.size()),
                afterA.streams().stream().map(s -> s.streamArn()).toList());
    }

    @Test
    void everyIteratorTypeStartsWhereDynamoDbSays() {
        DynamoDbClient db = SERVER.client();
        DynamoDbStreamsClient streams = SERVER.streams();
        String table = createTable(db, unique("Iterators"), StreamViewType.KEYS_ONLY);
        String arn = streamArn(db, table);
        for (int i = 1; i <= 3; i++) {
            int sk = i;
            db.putItem(r -> r.tableName(table).item(item("pk", s("p"), "sk", n(sk))));
        }
        String shard = shardOf(streams, arn, "p").shardId();
        List<Record> first = readOn(streams, iterator(streams, arn, shard, ShardIteratorType.TRIM_HORIZON)).records();
        assertEquals(List.of("1", "2", "3"), sortKeys(first));
        String second = first.get(1).dynamodb().sequenceNumber();

        String latest = iterator(streams, arn, shard, ShardIteratorType.LATEST);
        GetRecordsResponse nothingYet = streams.getRecords(r -> r.shardIterator(latest));
        assertEquals(List.of(), nothingYet.records());
        assertNotNull(nothingYet.nextShardIterator());
        db.putItem(r -> r.tableName(table).item(item("pk", s("p"), "sk", n(4))));
        assertEquals(List.of("4"), sortKeys(readOn(streams, latest).records()));
        assertEquals(List.of("4"), sortKeys(readOn(streams, nothingYet.nextShardIterator()).records()));

        assertEquals(List.of("2", "3", "4"), sortKeys(readOn(streams, iterator(streams, arn, shard,
                ShardIteratorType.AT_SEQUENCE_NUMBER, second)).records()));
        assertEquals(List.of("3", "4"), sortKeys(readOn(streams, iterator(streams, arn, shard,
                ShardIteratorType.AFTER_SEQUENCE_NUMBER, second)).records()));
        String start = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().stream()
                .filter(s -> s.shardId().equals(shard)).findFirst().orElseThrow()
                .sequenceNumberRange().startingSequenceNumber();
        assertEquals(List.of("1", "2", "3", "4"), sortKeys(readOn(streams, iterator(streams, arn, shard,
                ShardIteratorType.AT_SEQUENCE_NUMBER, start)).records()));
    }

    @ParameterizedTest
    @EnumSource(value = StreamViewType.class, names = "UNKNOWN_TO_SDK_VERSION", mode = EnumSource.Mode.EXCLUDE)
    void recordsHaveDynamoDbStreamsShapeWithTheImagesOfTheirViewType(StreamViewType view) {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("View-" + view), view);
        long before = Instant.now().getEpochSecond();
        Map<String, AttributeValue> key = item("pk", s("k"), "sk", n(1));
        Map<String, AttributeValue> v1 = item("pk", s("k"), "sk", n(1), "v", n(1));
        Map<String, AttributeValue> v2 = item("pk", s("k"), "sk", n(1), "v", n(2), "tag", s("x"));
        db.putItem(r -> r.tableName(table).item(v1));
        db.putItem(r -> r.tableName(table).item(v2));
        db.putItem(r -> r.tableName(table).item(v2));
        db.deleteItem(r -> r.tableName(table).key(key));
        List<Record> records = allRecords(SERVER.streams(), streamArn(db, table));

        assertEquals(List.of(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE),
                records.stream().map(Record::eventName).toList());
        boolean showsNew = view == StreamViewType.NEW_IMAGE || view == StreamViewType.NEW_AND_OLD_IMAGES;
        boolean showsOld = view == StreamViewType.OLD_IMAGE || view == StreamViewType.NEW_AND_OLD_IMAGES;
        List<Map<String, AttributeValue>> newImages = List.of(v1, v2, Map.of());
        List<Map<String, AttributeValue>> oldImages = List.of(Map.of(), v1, v2);
        BigInteger previous = BigInteger.ZERO;
        for (int i = 0; i < 3; i++) {
            Record r = records.get(i);
            assertEquals("1.1", r.eventVersion());
            assertEquals("aws:dynamodb", r.eventSource());
            assertEquals("us-east-1", r.awsRegion());
            assertTrue(r.eventID().matches("[0-9a-f]{32}"), r.eventID());
            assertNull(r.userIdentity());
            assertEquals(key, r.dynamodb().keys());
            assertEquals(view, r.dynamodb().streamViewType());
            assertEquals(showsNew ? newImages.get(i) : Map.of(), r.dynamodb().newImage());
            assertEquals(showsOld ? oldImages.get(i) : Map.of(), r.dynamodb().oldImage());
            assertEquals(r.dynamodb().hasNewImage(), showsNew && i < 2);
            assertEquals(r.dynamodb().hasOldImage(), showsOld && i > 0);
            BigInteger sequence = new BigInteger(r.dynamodb().sequenceNumber());
            assertTrue(r.dynamodb().sequenceNumber().matches("\\d{21,40}") && sequence.compareTo(previous) > 0);
            previous = sequence;
            long created = r.dynamodb().approximateCreationDateTime().getEpochSecond();
            assertEquals(0, r.dynamodb().approximateCreationDateTime().getNano(), "whole seconds");
            assertTrue(created >= before && created <= Instant.now().getEpochSecond(), "created " + created);
            long expectedSize = size(key) + (showsNew ? size(newImages.get(i)) : 0)
                    + (showsOld ? size(oldImages.get(i)) : 0);
            assertEquals(expectedSize, r.dynamodb().sizeBytes(), "SizeBytes of " + r);
        }
    }

    @Test
    void awsRegionAndArnsNameTheRegionTheRequestWasSignedFor() {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("Region"), StreamViewType.KEYS_ONLY);
        String usArn = streamArn(db, table);
        db.putItem(r -> r.tableName(table).item(item("pk", s("k"), "sk", n(1))));
        try (DynamoDbStreamsClient eu = TestServer.streamsClient(SERVER.endpoint(), Region.EU_WEST_1)) {
            String euArn = eu.listStreams(r -> r.tableName(table)).streams().getFirst().streamArn();
            assertEquals(usArn.replace(":us-east-1:", ":eu-west-1:"), euArn);
            List<Record> records = allRecords(eu, usArn);
            assertEquals(List.of("eu-west-1"), records.stream().map(Record::awsRegion).toList());
            assertEquals(usArn, eu.describeStream(r -> r.streamArn(usArn)).streamDescription().streamArn());
        }
    }

    @Test
    void getRecordsReturnsAtMostLimitRecordsAndAboutOneMegabyte() {
        DynamoDbClient db = SERVER.client();
        DynamoDbStreamsClient streams = SERVER.streams();
        String table = createTable(db, unique("Limits"), StreamViewType.NEW_IMAGE);
        String arn = streamArn(db, table);
        String big = "x".repeat(350_000);
        for (int i = 1; i <= 5; i++) {
            int sk = i;
            db.putItem(r -> r.tableName(table).item(item("pk", s("p"), "sk", n(sk), "blob", s(big))));
        }
        String shard = shardOf(streams, arn, "p").shardId();
        String iterator = iterator(streams, arn, shard, ShardIteratorType.TRIM_HORIZON);
        GetRecordsResponse two = streams.getRecords(r -> r.shardIterator(iterator).limit(2));
        assertEquals(List.of("1", "2"), sortKeys(two.records()));
        GetRecordsResponse megabyte = streams.getRecords(r -> r.shardIterator(two.nextShardIterator()));
        assertEquals(List.of("3", "4"), sortKeys(megabyte.records()), "two records of 350 kB make the 1 MB");
        GetRecordsResponse last = streams.getRecords(r -> r.shardIterator(megabyte.nextShardIterator()).limit(1000));
        assertEquals(List.of("5"), sortKeys(last.records()));
        GetRecordsResponse none = streams.getRecords(r -> r.shardIterator(last.nextShardIterator()));
        assertEquals(List.of(), none.records());
        assertNotNull(none.nextShardIterator(), "an open shard always gives an iterator to go on with");
    }

    @Test
    void malformedRequestsAreValidationErrorsWithDynamoDbsMessages() {
        DynamoDbClient db = SERVER.client();
        DynamoDbStreamsClient streams = SERVER.streams();
        String table = createTable(db, unique("Errors"), StreamViewType.KEYS_ONLY);
        String arn = streamArn(db, table);
        String shard = shards(streams, arn).getFirst().shardId();
        String iterator = iterator(streams, arn, shard, ShardIteratorType.TRIM_HORIZON);
        assertValidation("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                + "have value greater than or equal to 1", () -> streams.getRecords(r -> r.shardIterator(iterator)
                .limit(0)));
        assertValidation("1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member "
                + "must have value less than or equal to 1000", () -> streams.getRecords(r -> r.shardIterator(iterator)
                .limit(1001)));
        assertValidation("1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member "
                + "must have value less than or equal to 100", () -> streams.listStreams(r -> r.limit(101)));
        assertValidation("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                + "have value greater than or equal to 1", () -> streams.describeStream(r -> r.streamArn(arn).limit(0)));
        String notAnArn = "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf";
        assertValidation("Invalid StreamArn", () -> streams.describeStream(r -> r.streamArn(notAnArn)));
        assertValidation("Invalid StreamArn", () -> streams.listStreams(r -> r.exclusiveStartStreamArn(notAnArn)));
        assertValidation("Invalid StreamArn", () -> streams.getShardIterator(r -> r.streamArn(notAnArn).shardId(shard)
                .shardIteratorType(ShardIteratorType.LATEST)));
        assertValidation("Invalid ShardIterator", () -> streams.getRecords(r -> r.shardIterator(
                "sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg")));
        String edited = iterator.substring(0, 10) + (iterator.charAt(10) == 'A' ? 'B' : 'A') + iterator.substring(11);
        assertValidation("Invalid ShardIterator", () -> streams.getRecords(r -> r.shardIterator(edited)));
        assertValidation("1 validation error detected: Value null at 'shardIteratorType' failed to satisfy "
                + "constraint: Member must not be null", () -> streams.getShardIterator(r -> r.streamArn(arn)
                .shardId(shard)));
        assertValidation("1 validation error detected: Value 'bulle' at 'shardIteratorType' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, "
                + "AFTER_SEQUENCE_NUMBER]", () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType("bulle")));
        assertValidation("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and SequenceNumber or "
                + "(2) TRIM_HORIZON or LATEST and no SequenceNumber. Request specified AT_SEQUENCE_NUMBER and no "
                + "SequenceNumber.", () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)));
        String start = shards(streams, arn).getFirst().sequenceNumberRange().startingSequenceNumber();
        assertValidation("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and SequenceNumber or "
                + "(2) TRIM_HORIZON or LATEST and no SequenceNumber. Request specified LATEST and SequenceNumber "
                + start + ".", () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.LATEST).sequenceNumber(start)));
        assertValidation("Invalid SequenceNumber 000000000000000000001: it is not in shard " + shard,
                () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber("000000000000000000001")));
        String future = "9" + "0".repeat(25);
        assertValidation("Invalid SequenceNumber " + future + ": it is not in shard " + shard,
                () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(future)));
    }

    @Test
    void unknownStreamsAndShardsAreResourceNotFound() {
        DynamoDbClient db = SERVER.client();
        DynamoDbStreamsClient streams = SERVER.streams();
        String arn = streamArn(db, createTable(db, unique("Missing"), StreamViewType.KEYS_ONLY));
        String otherLabel = arn.substring(0, arn.length() - 5) + (arn.endsWith("1.000") ? "2.000" : "1.000");
        DynamoDbException e = assertDynamoError("ResourceNotFoundException", "Requested resource not found: Stream: "
                + otherLabel + " not found", () -> streams.describeStream(r -> r.streamArn(otherLabel)));
        assertTrue(e instanceof software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException);
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Shard does not exist",
                () -> streams.getShardIterator(r -> r.streamArn(arn).shardId("shardId-00000000000000000001-00000000")
                        .shardIteratorType(ShardIteratorType.LATEST)));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Shard does not exist",
                () -> streams.getShardIterator(r -> r.streamArn(arn).shardId("adfasdasdasdasdasdasdasdasdasasdasd")
                        .shardIteratorType(ShardIteratorType.LATEST)));
        String lastShard = shards(streams, arn).getLast().shardId();
        String beyond = lastShard.substring(0, lastShard.length() - 1) + "9";
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Shard does not exist",
                () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(beyond)
                        .shardIteratorType(ShardIteratorType.LATEST)));
    }

    @Test
    void errorsHaveTheShapeTheSdkReads() {
        Map<String, String> headers = Wire.headers("GetRecords");
        headers.put("X-Amz-Target", "DynamoDBStreams_20120810.GetRecords");
        Wire.Reply reply = SERVER.get().wire().post(headers, "{\"ShardIterator\":\"x\"}".getBytes(UTF_8));
        assertEquals(400, reply.status());
        assertEquals("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\","
                + "\"message\":\"Invalid ShardIterator\"}", reply.text());
    }

    private static List<String> sortKeys(List<Record> records) {
        return records.stream().map(r -> r.dynamodb().keys().get("sk").n()).toList();
    }

    /** DynamoDB's size of an item of ASCII strings and whole numbers: names, string lengths, number digits. */
    private static long size(Map<String, AttributeValue> image) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : image.entrySet()) {
            AttributeValue v = e.getValue();
            size += e.getKey().length() + (v.s() != null ? v.s().length() : (v.n().length() + 1) / 2 + 1);
        }
        return size;
    }
}
