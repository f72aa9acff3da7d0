package io.jormundb.api.dynamo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.api.streams.DescribeStream;
import io.jormundb.api.streams.GetRecords;
import io.jormundb.api.streams.GetShardIterator;
import io.jormundb.api.streams.ListStreams;
import io.jormundb.engine.Engine;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.store.StoreException;
import io.jormundb.streams.shards.DynamoStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The DynamoDB JSON protocol, independent of the HTTP server: routes {@code X-Amz-Target} to an
 * {@link Operation}, parses the body, and renders results and errors (with {@code __type} and
 * DynamoDB's HTTP status) in one place. A client mistake never yields a 500 or a stack trace;
 * server faults are logged here and answered with a generic InternalServerError.
 */
public final class DynamoProtocol {
    /** DynamoDB refuses request bodies over 16 MB. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;
    public static final String DYNAMODB_PREFIX = "DynamoDB_20120810.";
    public static final String STREAMS_PREFIX = "DynamoDBStreams_20120810.";
    private static final String ERROR_TYPE_PREFIX = "com.amazonaws.dynamodb.v20120810#";
    private static final Logger LOG = LoggerFactory.getLogger(DynamoProtocol.class);

    private final ObjectMapper mapper;
    private final Map<String, Operation> operations = new HashMap<>();
    private final Observer observer;

    /** Told of every request once it is answered (metrics). Must not block. */
    @FunctionalInterface
    public interface Observer {
        /**
         * @param operation the operation's name ({@code PutItem}, {@code GetRecords}), or
         *                  {@code unknown} for a target that names none
         * @param error     the error type answered ({@code ValidationException}), or {@code null}
         */
        void answered(String operation, String error, long nanos);
    }

    /**
     * @param streams  the DynamoDB Streams API's view of the changelog
     * @param address  host:port clients reach this server at (DescribeEndpoints)
     * @param observer told of every answered request
     */
    public DynamoProtocol(Engine engine, DynamoStreams streams, java.util.function.Supplier<String> address,
                          Observer observer) {
        this.observer = observer;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(MAX_REQUEST_BYTES)
                        .build())
                .build();
        mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        register(DYNAMODB_PREFIX + "CreateTable", new CreateTable(engine));
        register(DYNAMODB_PREFIX + "DescribeTable", new DescribeTable(engine));
        register(DYNAMODB_PREFIX + "ListTables", new ListTables(engine));
        register(DYNAMODB_PREFIX + "DeleteTable", new DeleteTable(engine));
        register(DYNAMODB_PREFIX + "UpdateTable", new UpdateTable(engine, streams.retention()));
        register(DYNAMODB_PREFIX + "PutItem", new PutItem(engine));
        register(DYNAMODB_PREFIX + "GetItem", new GetItem(engine));
        register(DYNAMODB_PREFIX + "DeleteItem", new DeleteItem(engine));
        register(DYNAMODB_PREFIX + "UpdateItem", new UpdateItem(engine));
        register(DYNAMODB_PREFIX + "Query", new Query(engine));
        register(DYNAMODB_PREFIX + "Scan", new Scan(engine));
        register(DYNAMODB_PREFIX + "BatchWriteItem", new BatchWriteItem(engine));
        register(DYNAMODB_PREFIX + "BatchGetItem", new BatchGetItem(engine));
        register(DYNAMODB_PREFIX + "TransactWriteItems", new TransactWriteItems(engine));
        register(DYNAMODB_PREFIX + "TransactGetItems", new TransactGetItems(engine));
        register(DYNAMODB_PREFIX + "UpdateTimeToLive", new UpdateTimeToLive(engine));
        register(DYNAMODB_PREFIX + "DescribeTimeToLive", new DescribeTimeToLive(engine));
        register(STREAMS_PREFIX + "ListStreams", new ListStreams(streams));
        register(STREAMS_PREFIX + "DescribeStream", new DescribeStream(streams));
        register(STREAMS_PREFIX + "GetShardIterator", new GetShardIterator(streams));
        register(STREAMS_PREFIX + "GetRecords", new GetRecords(streams));
        register(DYNAMODB_PREFIX + "TagResource", new TagResource(engine));
        register(DYNAMODB_PREFIX + "UntagResource", new UntagResource(engine));
        register(DYNAMODB_PREFIX + "ListTagsOfResource", new ListTagsOfResource(engine));
        register(DYNAMODB_PREFIX + "DescribeEndpoints", new DescribeEndpoints(address));
        register(DYNAMODB_PREFIX + "DescribeLimits", new DescribeLimits());
        register(DYNAMODB_PREFIX + "DescribeContinuousBackups", ContinuousBackups.describe(engine));
        register(DYNAMODB_PREFIX + "UpdateContinuousBackups", ContinuousBackups.update(engine));
    }

    /** The operations that change anything: a follower refuses them ({@link #refuseWrites}). */
    private static final java.util.Set<String> WRITES = java.util.Set.of("CreateTable", "UpdateTable", "DeleteTable",
            "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems", "UpdateTimeToLive",
            "TagResource", "UntagResource", "UpdateContinuousBackups");

    /**
     * Makes this a read-only replica's protocol: every operation that changes anything answers a
     * ValidationException that names the leader to send it to; reads are served as before.
     */
    public void refuseWrites(String leader) {
        String refusal = "This JormunDB server is a read-only follower of " + leader
                + ": send writes (and table changes) to the leader at " + leader;
        for (String name : WRITES) {
            register(DYNAMODB_PREFIX + name, request -> {
                throw DynamoException.validation(refusal);
            });
        }
    }

    /** Adds an operation under its full target ({@code DynamoDB_20120810.PutItem}). */
    public void register(String target, Operation operation) {
        operations.put(target, operation);
    }

    /** A rendered response: status and body bytes, plus the headers DynamoDB sends. */
    public record Response(int status, byte[] body, String requestId, long crc32) {
    }

    /**
     * Handles one request, signed for {@code region} (see {@link SigningRegion}); never throws.
     */
    public Response handle(String target, byte[] body, String region) {
        long start = System.nanoTime();
        String requestId = UUID.randomUUID().toString().replace("-", "").toUpperCase(java.util.Locale.ROOT);
        Operation operation = target == null ? null : operations.get(target);
        String name = operation == null ? "unknown" : target.substring(target.indexOf('.') + 1);
        String error = null;
        try {
            if (operation == null) {
                throw unknown(target);
            }
            JsonNode json = parse(body);
            ObjectNode result = operation.handle(new Request(json, region));
            return render(200, result, requestId);
        } catch (DynamoException e) {
            error = e.code().wireName();
            return render(e.code().httpStatus(), error(e), requestId);
        } catch (StoreException | CorruptDataException e) {
            LOG.error("request {} to {} failed in storage", requestId, target, e);
            error = ErrorCode.INTERNAL_SERVER_ERROR.wireName();
            return internalError(requestId);
        } catch (RuntimeException e) {
            LOG.error("request {} to {} failed", requestId, target, e);
            error = ErrorCode.INTERNAL_SERVER_ERROR.wireName();
            return internalError(requestId);
        } finally {
            observer.answered(name, error, System.nanoTime() - start);
        }
    }

    private static DynamoException unknown(String target) {
        if (target == null) {
            return new DynamoException(ErrorCode.UNKNOWN_OPERATION, "Missing X-Amz-Target header");
        }
        int dot = target.indexOf('.');
        String service = dot < 0 ? "" : target.substring(0, dot + 1);
        String name = target.substring(dot + 1);
        if (service.equals(DYNAMODB_PREFIX) && NOT_YET_DYNAMODB.contains(name)) {
            return new DynamoException(ErrorCode.UNKNOWN_OPERATION,
                    name + " is a DynamoDB operation that JormunDB does not support yet");
        }
        return new DynamoException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation: " + target);
    }

    /** DynamoDB operations not served yet: they answer so, instead of a bare "unknown operation". */
    private static final java.util.Set<String> NOT_YET_DYNAMODB = java.util.Set.of(
            "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction", "CreateBackup", "DeleteBackup",
            "DescribeBackup", "ListBackups", "RestoreTableFromBackup", "RestoreTableToPointInTime",
            "CreateGlobalTable", "DescribeGlobalTable", "UpdateGlobalTable", "ListGlobalTables",
            "DescribeKinesisStreamingDestination", "EnableKinesisStreamingDestination",
            "DisableKinesisStreamingDestination", "ExportTableToPointInTime", "ImportTable",
            "DescribeContributorInsights", "UpdateContributorInsights", "GetResourcePolicy", "PutResourcePolicy",
            "DeleteResourcePolicy", "DescribeTableReplicaAutoScaling", "UpdateTableReplicaAutoScaling");

    /** The error response for a body over {@link #MAX_REQUEST_BYTES}. */
    public Response tooLarge() {
        DynamoException e = new DynamoException(ErrorCode.REQUEST_TOO_LARGE,
                "Request size exceeds " + MAX_REQUEST_BYTES + " bytes");
        return render(e.code().httpStatus(), error(e), UUID.randomUUID().toString());
    }

    private Response internalError(String requestId) {
        DynamoException e = new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR,
                "Internal server error (request " + requestId + "); see the server log");
        return render(500, error(e), requestId);
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw DynamoException.serialization("Request body is empty: expected a JSON object");
        }
        try {
            JsonNode json = mapper.readTree(body);
            if (json == null || !json.isObject()) {
                throw DynamoException.serialization("Request body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            int cut = reason.indexOf(" (start marker");
            reason = (cut > 0 ? reason.substring(0, cut) : reason).replace('\n', ' ');
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw DynamoException.serialization("Request body is not valid JSON" + where + ": " + reason);
        } catch (IOException e) {
            throw DynamoException.serialization("Request body could not be read: " + e.getMessage());
        }
    }

    private ObjectNode error(DynamoException e) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("__type", ERROR_TYPE_PREFIX + e.code().wireName());
        out.put("message", e.getMessage());
        e.item().ifPresent(item -> out.set("Item", AttributeJson.toJson(item)));
        if (!e.cancellationReasons().isEmpty()) {
            var reasons = out.putArray("CancellationReasons");
            for (DynamoException.CancellationReason r : e.cancellationReasons()) {
                ObjectNode reason = reasons.addObject();
                reason.put("Code", r.code() == null ? "None" : r.code());
                if (r.message() != null) {
                    reason.put("Message", r.message());
                }
                if (r.item() != null) {
                    reason.set("Item", AttributeJson.toJson(r.item()));
                }
            }
        }
        return out;
    }

    private Response render(int status, ObjectNode body, String requestId) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render response", e);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return new Response(status, bytes, requestId, crc.getValue());
    }
}
