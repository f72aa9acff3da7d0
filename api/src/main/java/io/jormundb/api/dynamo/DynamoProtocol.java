package io.jormundb.api.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.api.http.ErrorMessages;
import io.jormundb.api.streams.DescribeStream;
import io.jormundb.api.streams.GetRecords;
import io.jormundb.api.streams.GetShardIterator;
import io.jormundb.api.streams.ListStreams;
import io.jormundb.engine.Engine;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.store.StoreException;
import io.jormundb.engine.store.StoreUnavailableException;
import io.jormundb.streams.shards.DynamoStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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
    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    private static final long EMPTY_OBJECT_CRC = crc32(EMPTY_OBJECT);

    private final ObjectMapper mapper;
    private final RequestJson requestJson = new RequestJson(MAX_REQUEST_BYTES);
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
        // Buffers from a shared pool: see AttributeJson#GENERATORS.
        mapper = new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build());
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

    /** The operations served, by name ({@code PutItem}, {@code GetRecords}). */
    public java.util.Set<String> operations() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        operations.keySet().forEach(target -> names.add(target.substring(target.indexOf('.') + 1)));
        return names;
    }

    /**
     * Handles one request, signed for {@code region} (see {@link SigningRegion}), open to anyone; never throws.
     */
    public Response handle(String target, byte[] body, String region) {
        return handle(target, body, region, Access.OPEN);
    }

    /**
     * Handles one request, signed for {@code region} (see {@link SigningRegion}), as {@code access}
     * allows: its authentication is checked first, its authorization once the body is parsed.
     * Never throws.
     */
    public Response handle(String target, byte[] body, String region, Access access) {
        return handle(target, body, region, access, null);
    }

    /**
     * {@link #handle(String, byte[], String, Access)} of a request the client sent to {@code host}
     * (its Host header, or {@code null}), which DescribeEndpoints answers as this server's address.
     */
    public Response handle(String target, byte[] body, String region, Access access, String host) {
        long start = System.nanoTime();
        String requestId = requestId();
        Operation operation = target == null ? null : operations.get(target);
        String name = operation == null ? "unknown" : target.substring(target.indexOf('.') + 1);
        String error = null;
        try {
            access.authenticate();
            if (operation == null) {
                throw unknown(target);
            }
            JsonNode json = requestJson.parse(body);
            access.authorize(name, json, region);
            ObjectNode result = operation.handle(new Request(json, region, host, access::mayList));
            return render(200, result, requestId);
        } catch (DynamoException e) {
            error = e.code().wireName();
            return render(e.code().httpStatus(), error(e), requestId);
        } catch (StoreUnavailableException e) {
            LOG.debug("request {} to {} refused: {}", requestId, target, e.reason());
            DynamoException unavailable = unavailable(e);
            error = unavailable.code().wireName();
            return render(unavailable.code().httpStatus(), error(unavailable), requestId);
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

    private static final HexFormat REQUEST_ID = HexFormat.of().withUpperCase();

    /**
     * A request id as DynamoDB's look (uppercase, 32 characters here): 128 random bits from the
     * thread's own generator, which costs nothing next to a UUID's SecureRandom.
     */
    private static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return REQUEST_ID.toHexDigits(random.nextLong()) + REQUEST_ID.toHexDigits(random.nextLong());
    }

    /** DynamoDB's retryable 503 for a store that cannot write now; the SDKs retry it with backoff. */
    private static DynamoException unavailable(StoreUnavailableException e) {
        return new DynamoException(ErrorCode.SERVICE_UNAVAILABLE, "JormunDB cannot write now: " + e.reason()
                + ". Writes resume on their own once the cause is gone; retry the request.");
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
            "DeleteResourcePolicy", "DescribeTableReplicaAutoScaling", "UpdateTableReplicaAutoScaling",
            "DescribeExport", "ListExports", "DescribeImport", "ListImports", "DescribeGlobalTableSettings",
            "UpdateGlobalTableSettings", "ListContributorInsights", "UpdateKinesisStreamingDestination");

    /** The content types of a DynamoDB request body: what the SDKs send, and plain JSON. */
    private static final java.util.Set<String> JSON_CONTENT_TYPES = java.util.Set.of(
            "application/x-amz-json-1.0", "application/x-amz-json-1.1", "application/json");

    /**
     * Refuses a body that says it is not JSON ({@code text/plain}, a form, XML) with a
     * SerializationException; a request without a Content-Type is read as JSON.
     */
    public static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!JSON_CONTENT_TYPES.contains(type)) {
            throw DynamoException.serialization("Content-Type " + ErrorMessages.capped(contentType)
                    + " is not JSON: the DynamoDB API takes application/x-amz-json-1.0");
        }
    }

    /** The response to {@code e} raised outside an operation (a body that cannot be read, too large or too slow). */
    public Response refused(DynamoException e) {
        return render(e.code().httpStatus(), error(e), requestId());
    }

    private Response internalError(String requestId) {
        DynamoException e = new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR,
                "Internal server error (request " + requestId + "); see the server log");
        return render(500, error(e), requestId);
    }

    private ObjectNode error(DynamoException e) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("__type", ERROR_TYPE_PREFIX + e.code().wireName());
        // DynamoDB writes a cancellation's text as "Message", every other error's as "message".
        out.put(e.code() == ErrorCode.TRANSACTION_CANCELED ? "Message" : "message", ErrorMessages.capped(e.getMessage()));
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
        if (body.isEmpty()) {
            // PutItem, UpdateItem and DeleteItem without return values, and more: nothing to write.
            return new Response(status, EMPTY_OBJECT.clone(), requestId, EMPTY_OBJECT_CRC);
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render response", e);
        }
        return new Response(status, bytes, requestId, crc32(bytes));
    }

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
