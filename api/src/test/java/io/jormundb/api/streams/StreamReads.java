package io.jormundb.api.streams;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.List;

/** Short forms for the Streams API tests: a table with a stream, its shards, and reading them. */
final class StreamReads {
    private StreamReads() {
    }

    /** Creates an on-demand table keyed by {@code pk} (S) and {@code sk} (N), with a stream of {@code view} (or none). */
    static String createTable(DynamoDbClient db, String name, StreamViewType view) {
        db.createTable(r -> {
            r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build());
            if (view != null) {
                r.streamSpecification(s -> s.streamEnabled(true).streamViewType(view));
            }
        });
        return name;
    }

    /** The table's LatestStreamArn. */
    static String streamArn(DynamoDbClient db, String table) {
        return db.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    /** Every shard of the stream, page by page. */
    static List<Shard> shards(DynamoDbStreamsClient streams, String arn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            DescribeStreamResponse page = streams.describeStream(r -> r.streamArn(arn).exclusiveStartShardId(from));
            shards.addAll(page.streamDescription().shards());
            start = page.streamDescription().lastEvaluatedShardId();
        } while (start != null);
        return shards;
    }

    static String iterator(DynamoDbStreamsClient streams, String arn, String shardId, ShardIteratorType type) {
        return streams.getShardIterator(r -> r.streamArn(arn).shardId(shardId).shardIteratorType(type)).shardIterator();
    }

    static String iterator(DynamoDbStreamsClient streams, String arn, String shardId, ShardIteratorType type,
                           String sequenceNumber) {
        return streams.getShardIterator(r -> r.streamArn(arn).shardId(shardId).shardIteratorType(type)
                .sequenceNumber(sequenceNumber)).shardIterator();
    }

    /**
     * What reading on from an iterator gave: its records, and the iterator to go on with
     * ({@code null}: the shard is closed and was read to its end).
     */
    record Reading(List<Record> records, String next) {
    }

    /** Reads from {@code iterator} until a read returns no records or no next iterator. */
    static Reading readOn(DynamoDbStreamsClient streams, String iterator) {
        List<Record> records = new ArrayList<>();
        String next = iterator;
        while (next != null) {
            String at = next;
            GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(at));
            records.addAll(page.records());
            next = page.nextShardIterator();
            if (page.records().isEmpty()) {
                break;
            }
        }
        return new Reading(records, next);
    }

    /** Every record of every shard of the stream from TRIM_HORIZON, shard after shard. */
    static List<Record> allRecords(DynamoDbStreamsClient streams, String arn) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : shards(streams, arn)) {
            records.addAll(readOn(streams, iterator(streams, arn, shard.shardId(), ShardIteratorType.TRIM_HORIZON))
                    .records());
        }
        return records;
    }

    /** The shard whose records include one of partition key {@code pk} (every shard is read from TRIM_HORIZON). */
    static Shard shardOf(DynamoDbStreamsClient streams, String arn, String pk) {
        for (Shard shard : shards(streams, arn)) {
            List<Record> records = readOn(streams, iterator(streams, arn, shard.shardId(),
                    ShardIteratorType.TRIM_HORIZON)).records();
            if (records.stream().anyMatch(r -> r.dynamodb().keys().get("pk").s().equals(pk))) {
                return shard;
            }
        }
        throw new AssertionError("no shard has a record of " + pk);
    }
}
