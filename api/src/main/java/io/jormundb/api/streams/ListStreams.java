package io.jormundb.api.streams;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.api.dynamo.Operation;
import io.jormundb.api.dynamo.Request;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.streams.shards.DynamoStreams;
import io.jormundb.streams.shards.StreamArn;
import io.jormundb.streams.shards.StreamRef;

/**
 * ListStreams: the streams of every table, or of the tables of one name (a deleted table's while
 * they are kept), by table name and label, at most Limit (≤ 100) a page; ExclusiveStartStreamArn
 * continues after any stream's ARN, listed or not.
 */
public final class ListStreams implements Operation {
    private static final int MAX_LIMIT = 100;
    private final DynamoStreams streams;

    public ListStreams(DynamoStreams streams) {
        this.streams = streams;
    }

    @Override
    public ObjectNode handle(Request request) {
        Integer limit = request.limit("Limit", MAX_LIMIT);
        String tableName = request.string("TableName");
        if (tableName != null) {
            Catalog.validateName(tableName, "tableName");
        }
        String startText = request.string("ExclusiveStartStreamArn", Members.ARN_MIN_LENGTH,
                Members.ARN_MAX_LENGTH);
        StreamArn start = startText == null ? null : StreamArn.parse(startText);
        int max = limit == null ? MAX_LIMIT : limit;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("Streams");
        String last = null;
        for (StreamRef s : streams.streams(tableName)) {
            if ((start != null && isAtOrBefore(s, start)) || !request.lists(s.table().name())) {
                continue;
            }
            if (list.size() == max) {
                out.put("LastEvaluatedStreamArn", last);
                break;
            }
            last = s.arn(request.region()).toString();
            list.addObject().put("StreamArn", last).put("TableName", s.table().name()).put("StreamLabel", s.label());
        }
        return out;
    }

    /** Whether {@code s} comes at or before {@code start} in the order of {@link DynamoStreams#streams}. */
    private static boolean isAtOrBefore(StreamRef s, StreamArn start) {
        int byName = s.table().name().compareTo(start.tableName());
        return byName < 0 || (byName == 0 && s.stream().enabledMillis() <= start.labelMillis());
    }
}
