package io.jormundb.api.streams;

import io.jormundb.api.dynamo.Request;
import io.jormundb.streams.shards.StreamArn;

/** Request members the Streams API operations share, checked with DynamoDB's constraints. */
final class Members {
    /** DynamoDB's length bounds of a stream ARN and of a shard id. */
    static final int ARN_MIN_LENGTH = 37;
    static final int ARN_MAX_LENGTH = 1024;
    private static final int SHARD_ID_MIN_LENGTH = 28;
    private static final int SHARD_ID_MAX_LENGTH = 65;

    private Members() {
    }

    /** The required StreamArn. */
    static StreamArn streamArn(Request request) {
        String text = request.string("StreamArn", ARN_MIN_LENGTH, ARN_MAX_LENGTH);
        if (text == null) {
            throw Request.missing("StreamArn");
        }
        return StreamArn.parse(text);
    }

    /** The shard id member {@code member}, or {@code null} when absent. */
    static String shardId(Request request, String member) {
        return request.string(member, SHARD_ID_MIN_LENGTH, SHARD_ID_MAX_LENGTH);
    }
}
