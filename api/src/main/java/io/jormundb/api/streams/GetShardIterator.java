package io.jormundb.api.streams;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.api.dynamo.Operation;
import io.jormundb.api.dynamo.Request;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.streams.shards.DynamoStreams;
import io.jormundb.streams.shards.IteratorType;
import io.jormundb.streams.shards.StreamArn;

import java.util.List;

/**
 * GetShardIterator: an iterator of one shard at TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or
 * AFTER_SEQUENCE_NUMBER; a SequenceNumber is given with the last two and only with them.
 */
public final class GetShardIterator implements Operation {
    /** ShardIteratorType's values in the order DynamoDB lists them. */
    private static final List<String> TYPES = List.of("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER",
            "AFTER_SEQUENCE_NUMBER");
    private final DynamoStreams streams;

    public GetShardIterator(DynamoStreams streams) {
        this.streams = streams;
    }

    @Override
    public ObjectNode handle(Request request) {
        StreamArn arn = Members.streamArn(request);
        String shardId = Members.shardId(request, "ShardId");
        if (shardId == null) {
            throw Request.missing("ShardId");
        }
        String typeText = request.enumValue("ShardIteratorType", TYPES, null);
        if (typeText == null) {
            throw Request.missing("ShardIteratorType");
        }
        String sequenceText = request.string("SequenceNumber", 21, 40);
        IteratorType type = IteratorType.valueOf(typeText);
        boolean needsSequence = type == IteratorType.AT_SEQUENCE_NUMBER || type == IteratorType.AFTER_SEQUENCE_NUMBER;
        if (needsSequence != (sequenceText != null)) {
            throw DynamoException.validation("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER "
                    + "and SequenceNumber or (2) TRIM_HORIZON or LATEST and no SequenceNumber. Request specified "
                    + type + (needsSequence ? " and no SequenceNumber." : " and SequenceNumber " + sequenceText + "."));
        }
        Position sequence = null;
        if (needsSequence) {
            try {
                sequence = Position.ofSequenceNumber(sequenceText);
            } catch (IllegalArgumentException e) {
                throw DynamoException.validation("Invalid SequenceNumber " + sequenceText + ": it is not in shard "
                        + shardId);
            }
        }
        String iterator = streams.iterator(streams.stream(arn), shardId, type, sequence);
        return JsonNodeFactory.instance.objectNode().put("ShardIterator", iterator);
    }
}
