package io.jormundb.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What each DynamoDB and DynamoDB Streams operation reads or writes, and whether an
 * {@link AccessKey} may do it. Every table a request names is checked: a batch or a transaction
 * naming one table its key may not touch is refused whole, before anything is done.
 * <ul>
 *   <li>reads: DescribeTable, GetItem, Query, Scan, BatchGetItem, TransactGetItems,
 *       DescribeTimeToLive, DescribeContinuousBackups, ListTagsOfResource, the Streams API
 *       (ListStreams, DescribeStream, GetShardIterator, GetRecords), and the ConditionCheck
 *       items of TransactWriteItems;</li>
 *   <li>writes: CreateTable, UpdateTable, DeleteTable, PutItem, UpdateItem, DeleteItem,
 *       BatchWriteItem, the Put, Update and Delete items of TransactWriteItems,
 *       UpdateTimeToLive, UpdateContinuousBackups, TagResource, UntagResource;</li>
 *   <li>open to every key: ListTables and ListStreams without TableName (which show only the
 *       tables the key may read), DescribeLimits, DescribeEndpoints.</li>
 * </ul>
 * An operation not listed here needs a key that may write every table.
 */
final class OperationAccess {
    private static final Set<String> READS_TABLE = Set.of("DescribeTable", "GetItem", "Query", "Scan",
            "DescribeTimeToLive", "DescribeContinuousBackups");
    private static final Set<String> WRITES_TABLE = Set.of("CreateTable", "UpdateTable", "DeleteTable", "PutItem",
            "UpdateItem", "DeleteItem", "UpdateTimeToLive", "UpdateContinuousBackups");
    private static final Set<String> OPEN = Set.of("ListTables", "DescribeLimits", "DescribeEndpoints");
    private static final Set<String> OTHERS = Set.of("BatchGetItem", "BatchWriteItem", "TransactGetItems",
            "TransactWriteItems", "TagResource", "UntagResource", "ListTagsOfResource", "ListStreams", "DescribeStream",
            "GetShardIterator", "GetRecords");
    /** Every operation this class knows what it touches of. */
    static final Set<String> CLASSIFIED = Stream.of(READS_TABLE, WRITES_TABLE, OPEN, OTHERS).flatMap(Set::stream)
            .collect(Collectors.toUnmodifiableSet());
    private static final Pattern TABLE_IN_ARN = Pattern.compile("arn:[^:]*:dynamodb:[^:]*:[^:]*:table/([^/]+)(/.*)?");

    /** The table a shard iterator reads ({@link io.jormundb.streams.shards.DynamoStreams#tableOf}). */
    private final Function<String, Optional<String>> iteratorTable;

    OperationAccess(Function<String, Optional<String>> iteratorTable) {
        this.iteratorTable = iteratorTable;
    }

    /**
     * One thing a request does to one table.
     *
     * @param table    the table, or {@code null} for every table
     * @param write    whether it changes it
     * @param action   the IAM action ({@code PutItem})
     * @param resource the ARN an AccessDeniedException names
     */
    record Touch(String table, boolean write, String action, String resource) {
    }

    /** @throws DynamoException AccessDeniedException when {@code key} may not do what the request does */
    void authorize(AccessKey key, String operation, JsonNode body, String region) {
        for (Touch t : touches(operation, body, region)) {
            if (!(t.write() ? key.mayWrite(t.table()) : key.mayRead(t.table()))) {
                throw new DynamoException(ErrorCode.ACCESS_DENIED, "User: " + key.userArn()
                        + " is not authorized to perform: dynamodb:" + t.action() + " on resource: " + t.resource()
                        + " because no identity-based policy allows the dynamodb:" + t.action() + " action");
            }
        }
    }

    /** What a request does to which tables; a member the operation will refuse is no touch (it fails anyway). */
    List<Touch> touches(String operation, JsonNode body, String region) {
        List<Touch> touches = new ArrayList<>();
        if (READS_TABLE.contains(operation) || WRITES_TABLE.contains(operation)) {
            tableName(body).ifPresent(table -> touches.add(new Touch(table, WRITES_TABLE.contains(operation),
                    operation, Arns.table(region, table))));
            return touches;
        }
        switch (operation) {
            case "ListTables", "DescribeLimits", "DescribeEndpoints" -> {
                // Open to every key; ListTables shows only the key's tables (visible).
            }
            case "BatchGetItem", "BatchWriteItem" -> {
                JsonNode items = body.get("RequestItems");
                if (items != null && items.isObject()) {
                    items.fieldNames().forEachRemaining(key -> nameOrArn(key).ifPresent(table -> touches.add(
                            new Touch(table, operation.equals("BatchWriteItem"), operation, Arns.table(region, table)))));
                }
            }
            case "TransactGetItems", "TransactWriteItems" -> transactItems(body, region, touches);
            case "TagResource", "UntagResource", "ListTagsOfResource" -> text(body, "ResourceArn")
                    .flatMap(OperationAccess::tableOfArn).ifPresent(table -> touches.add(new Touch(table,
                            !operation.equals("ListTagsOfResource"), operation, body.get("ResourceArn").textValue())));
            case "ListStreams" -> tableName(body).ifPresent(table -> touches.add(new Touch(table, false,
                    operation, Arns.table(region, table) + "/stream/*")));
            case "DescribeStream", "GetShardIterator" -> text(body, "StreamArn").flatMap(OperationAccess::tableOfArn)
                    .ifPresent(table -> touches.add(new Touch(table, false, operation,
                            body.get("StreamArn").textValue())));
            case "GetRecords" -> text(body, "ShardIterator").flatMap(iteratorTable).ifPresent(table ->
                    touches.add(new Touch(table, false, operation, Arns.table(region, table) + "/stream/*")));
            default -> touches.add(new Touch(null, true, operation, "*"));
        }
        return touches;
    }

    private static void transactItems(JsonNode body, String region, List<Touch> touches) {
        JsonNode items = body.get("TransactItems");
        if (items == null || !items.isArray()) {
            return;
        }
        for (JsonNode item : items) {
            if (!item.isObject()) {
                continue;
            }
            item.fields().forEachRemaining(kind -> tableName(kind.getValue()).ifPresent(table -> {
                String action = switch (kind.getKey()) {
                    case "Put" -> "PutItem";
                    case "Update" -> "UpdateItem";
                    case "Delete" -> "DeleteItem";
                    case "ConditionCheck" -> "ConditionCheckItem";
                    default -> "GetItem";
                };
                boolean write = !action.equals("GetItem") && !action.equals("ConditionCheckItem");
                touches.add(new Touch(table, write, action, Arns.table(region, table)));
            }));
        }
    }

    private static Optional<String> text(JsonNode body, String member) {
        JsonNode n = body == null ? null : body.get(member);
        return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }

    /**
     * The table a {@code TableName} member names: the name, or the table in a table ARN (which
     * every operation takes there, and which must be checked as the table it names, not as text).
     */
    private static Optional<String> tableName(JsonNode body) {
        return text(body, "TableName").flatMap(OperationAccess::nameOrArn);
    }

    /** The table a table's name or ARN names (none for an ARN of something else). */
    private static Optional<String> nameOrArn(String given) {
        return given.startsWith("arn:") ? tableOfArn(given) : Optional.of(given);
    }

    private static Optional<String> tableOfArn(String arn) {
        Matcher m = TABLE_IN_ARN.matcher(arn);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
