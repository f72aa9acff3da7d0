package io.jormundb.api.badinput;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables the hostile requests aim at ({@code seed} with a sort key, a stream and an index;
 * {@code plain}; {@code ranged}; {@code protected}), and a digest of everything a client can read
 * of them — tables, their settings, tags, items and stream records — to compare before and after.
 */
final class SeededTables {
    private SeededTables() {
    }

    static void seed(DynamoDbClient client) {
        client.createTable(b -> b.tableName("seed").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk", ScalarAttributeType.S), attr("sk", ScalarAttributeType.N),
                        attr("v", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byV").keySchema(key("v", KeyType.HASH))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))
                .tags(Tag.builder().key("env").value("test").build()));
        client.createTable(b -> b.tableName("plain").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("id", ScalarAttributeType.S)).keySchema(key("id", KeyType.HASH)));
        client.createTable(b -> b.tableName("ranged").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("id", ScalarAttributeType.S), attr("rk", ScalarAttributeType.S))
                .keySchema(key("id", KeyType.HASH), key("rk", KeyType.RANGE)));
        client.createTable(b -> b.tableName("protected").billingMode(BillingMode.PAY_PER_REQUEST)
                .deletionProtectionEnabled(true)
                .attributeDefinitions(attr("id", ScalarAttributeType.S)).keySchema(key("id", KeyType.HASH)));
        for (String[] item : new String[][] {{"a", "1", "x"}, {"a", "2", "y"}, {"b", "1", "x"}}) {
            client.putItem(b -> b.tableName("seed").item(Map.of("pk", AttributeValue.fromS(item[0]),
                    "sk", AttributeValue.fromN(item[1]), "v", AttributeValue.fromS(item[2]),
                    "m", AttributeValue.fromM(Map.of("n", AttributeValue.fromN("1.5"))))));
        }
        client.putItem(b -> b.tableName("plain").item(Map.of("id", AttributeValue.fromS("p"))));
    }

    /** Everything readable of every table, in a stable order. */
    static String digest(DynamoDbClient client, DynamoDbStreamsClient streams) {
        StringBuilder out = new StringBuilder();
        for (String table : client.listTables().tableNames()) {
            TableDescription d = client.describeTable(b -> b.tableName(table)).table();
            out.append(table).append(' ').append(d.tableStatus()).append(' ').append(d.keySchema()).append(' ')
                    .append(d.attributeDefinitions()).append(' ').append(d.streamSpecification()).append(' ')
                    .append(d.deletionProtectionEnabled()).append(' ').append(d.billingModeSummary()).append(' ')
                    .append(d.tableClassSummary()).append(' ').append(d.latestStreamArn()).append('\n');
            d.globalSecondaryIndexes().forEach(i -> out.append("  index ").append(i.indexName()).append('\n'));
            out.append("  tags ").append(client.listTagsOfResource(b -> b.resourceArn(d.tableArn())).tags()).append('\n');
            out.append("  ttl ").append(client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription())
                    .append('\n');
            out.append("  backups ").append(client.describeContinuousBackups(b -> b.tableName(table))
                    .continuousBackupsDescription()).append('\n');
            List<String> items = new ArrayList<>();
            client.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build()).items()
                    .forEach(item -> items.add(new TreeMap<>(item).toString()));
            items.sort(null);
            items.forEach(item -> out.append("  item ").append(item).append('\n'));
            if (d.latestStreamArn() != null) {
                streamRecords(streams, d.latestStreamArn(), out);
            }
        }
        return out.toString();
    }

    private static void streamRecords(DynamoDbStreamsClient streams, String arn, StringBuilder out) {
        for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON.toString())).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current));
                page.records().forEach(r -> out.append("  record ").append(r.eventName()).append(' ')
                        .append(r.dynamodb().sequenceNumber()).append(' ').append(r.dynamodb().keys()).append('\n'));
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
    }

    private static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
