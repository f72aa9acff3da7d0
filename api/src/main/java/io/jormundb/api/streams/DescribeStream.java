package io.jormundb.api.streams;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.api.dynamo.Operation;
import io.jormundb.api.dynamo.Request;
import io.jormundb.api.dynamo.TableDescriptions;
import io.jormundb.streams.shards.DynamoStreams;
import io.jormundb.streams.shards.Shard;
import io.jormundb.streams.shards.StreamArn;
import io.jormundb.streams.shards.StreamRef;

import java.util.List;

/**
 * DescribeStream: the stream's status (ENABLED, or DISABLED once disabled or its table deleted),
 * view type, table and key schema, and its shards (one per changelog partition) in ShardId order,
 * at most Limit (≤ 100) a page after ExclusiveStartShardId. A shard's SequenceNumberRange has an
 * EndingSequenceNumber once the shard is closed. Shards never split, so none has a parent or a
 * child (a CHILD_SHARDS ShardFilter finds nothing).
 */
public final class DescribeStream implements Operation {
    private static final int MAX_LIMIT = 100;
    private final DynamoStreams streams;

    public DescribeStream(DynamoStreams streams) {
        this.streams = streams;
    }

    @Override
    public ObjectNode handle(Request request) {
        StreamArn arn = Members.streamArn(request);
        Integer limit = request.limit("Limit", MAX_LIMIT);
        String exclusiveStart = Members.shardId(request, "ExclusiveStartShardId");
        Request filter = request.nested("ShardFilter");
        if (filter != null) {
            filter.enumValue("Type", List.of("CHILD_SHARDS"), null);
            Members.shardId(filter, "ShardId");
        }
        StreamRef stream = streams.stream(arn);
        int max = limit == null ? MAX_LIMIT : limit;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode d = out.putObject("StreamDescription");
        d.put("StreamArn", arn.toString());
        d.put("StreamLabel", stream.label());
        d.put("StreamStatus", stream.stream().isEnabled() ? "ENABLED" : "DISABLED");
        d.put("StreamViewType", stream.stream().viewType().name());
        d.put("CreationRequestDateTime", TableDescriptions.epochSeconds(stream.stream().enabledMillis()));
        d.put("TableName", stream.table().name());
        d.set("KeySchema", TableDescriptions.keySchema(stream.table()));
        ArrayNode shards = d.putArray("Shards");
        if (filter != null) {
            return out;
        }
        String last = null;
        for (Shard shard : streams.shards(stream)) {
            String id = shard.id().toString();
            if (exclusiveStart != null && id.compareTo(exclusiveStart) <= 0) {
                continue;
            }
            if (shards.size() == max) {
                d.put("LastEvaluatedShardId", last);
                break;
            }
            ObjectNode range = shards.addObject().put("ShardId", id).putObject("SequenceNumberRange")
                    .put("StartingSequenceNumber", shard.start().sequenceNumber());
            if (shard.end() != null) {
                range.put("EndingSequenceNumber", shard.end().sequenceNumber());
            }
            last = id;
        }
        return out;
    }
}
