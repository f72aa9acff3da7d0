package io.jormundb.api.streams;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.api.dynamo.AttributeJson;
import io.jormundb.api.dynamo.Operation;
import io.jormundb.api.dynamo.Request;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.changelog.Cause;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.streams.json.ChangeJson;
import io.jormundb.streams.shards.DynamoStreams;

/**
 * GetRecords: at once, the records of one shard after an iterator's position (at most Limit,
 * 1,000 by default and at most, and about 1 MB), and the iterator to go on with; none once a
 * closed shard is read to its end. Each record has DynamoDB Streams' shape:
 * <pre>
 * {"eventID": …, "eventName": "INSERT|MODIFY|REMOVE", "eventVersion": "1.1",
 *  "eventSource": "aws:dynamodb", "awsRegion": "&lt;the region the request was signed for&gt;",
 *  "dynamodb": {"ApproximateCreationDateTime": &lt;epoch seconds&gt;, "Keys": {…},
 *               "NewImage": {…}, "OldImage": {…} (as the view type shows them),
 *               "SequenceNumber": "&lt;21+ digits of the record's position&gt;", "SizeBytes": n,
 *               "StreamViewType": …},
 *  "userIdentity": {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"} (TTL deletions only)}
 * </pre>
 */
public final class GetRecords implements Operation {
    private final DynamoStreams streams;

    public GetRecords(DynamoStreams streams) {
        this.streams = streams;
    }

    @Override
    public ObjectNode handle(Request request) {
        String iterator = request.string("ShardIterator", 1, 2048);
        if (iterator == null) {
            throw Request.missing("ShardIterator");
        }
        Integer limit = request.limit("Limit", DynamoStreams.MAX_RECORDS);
        DynamoStreams.Records read = streams.read(iterator, limit == null ? DynamoStreams.MAX_RECORDS : limit);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode records = out.putArray("Records");
        StreamViewType view = read.stream().stream().viewType();
        for (ChangeRecord r : read.records()) {
            records.add(record(r, view, request.region()));
        }
        if (read.nextIterator() != null) {
            out.put("NextShardIterator", read.nextIterator());
        }
        return out;
    }

    private static ObjectNode record(ChangeRecord r, StreamViewType view, String region) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("eventID", ChangeJson.eventId(r));
        record.put("eventName", r.eventName().name());
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", region);
        ObjectNode d = record.putObject("dynamodb");
        // DynamoDB Streams rounds the creation time down to the second.
        d.put("ApproximateCreationDateTime", Math.floorDiv(r.creationTimeMillis(), 1000));
        d.set("Keys", AttributeJson.toJson(r.keys()));
        if (view.showsNewImage() && r.newImage() != null) {
            d.set("NewImage", AttributeJson.toJson(r.newImage()));
        }
        if (view.showsOldImage() && r.oldImage() != null) {
            d.set("OldImage", AttributeJson.toJson(r.oldImage()));
        }
        d.put("SequenceNumber", r.position().sequenceNumber());
        d.put("SizeBytes", DynamoStreams.sizeBytes(r, view));
        d.put("StreamViewType", view.name());
        if (r.cause() == Cause.TTL) {
            record.putObject("userIdentity").put("Type", "Service").put("PrincipalId", "dynamodb.amazonaws.com");
        }
        return record;
    }
}
