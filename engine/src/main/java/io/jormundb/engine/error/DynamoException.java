package io.jormundb.engine.error;

import io.jormundb.engine.value.Item;

import java.util.List;
import java.util.Optional;

/**
 * The one exception type that crosses module boundaries: a DynamoDB error with its code and a
 * message a person can act on. The api module renders it as
 * {@code {"__type": "com.amazonaws.dynamodb.v20120810#<Name>", "message": ...}}.
 *
 * <p>A conditional failure may carry the item that failed the check
 * ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}); a cancelled transaction carries one
 * {@link CancellationReason} per action.
 */
public final class DynamoException extends RuntimeException {
    private final ErrorCode code;
    private final transient Item item;
    private final transient List<CancellationReason> cancellationReasons;

    private DynamoException(ErrorCode code, String message, Item item, List<CancellationReason> reasons) {
        super(message, null, false, false);
        this.code = code;
        this.item = item;
        this.cancellationReasons = reasons;
    }

    public DynamoException(ErrorCode code, String message) {
        this(code, message, null, List.of());
    }

    public static DynamoException validation(String message) {
        return new DynamoException(ErrorCode.VALIDATION, message);
    }

    public static DynamoException serialization(String message) {
        return new DynamoException(ErrorCode.SERIALIZATION, message);
    }

    /** What table operations (DescribeTable, DeleteTable, UpdateTable) say of a missing table. */
    public static DynamoException tableNotFound(String tableName) {
        return new DynamoException(ErrorCode.RESOURCE_NOT_FOUND,
                "Requested resource not found: Table: " + tableName + " not found");
    }

    /** What item operations, batches and transactions say of a missing table. */
    public static DynamoException resourceNotFound() {
        return new DynamoException(ErrorCode.RESOURCE_NOT_FOUND, "Requested resource not found");
    }

    /** The conditional request failed; {@code item} is the old item when the caller asked for it. */
    public static DynamoException conditionalCheckFailed(Item item) {
        return new DynamoException(ErrorCode.CONDITIONAL_CHECK_FAILED, "The conditional request failed", item, List.of());
    }

    public static DynamoException transactionCanceled(List<CancellationReason> reasons) {
        StringBuilder codes = new StringBuilder();
        for (CancellationReason reason : reasons) {
            codes.append(codes.isEmpty() ? "" : ", ").append(reason.code() == null ? "None" : reason.code());
        }
        return new DynamoException(ErrorCode.TRANSACTION_CANCELED,
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]",
                null, List.copyOf(reasons));
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<Item> item() {
        return Optional.ofNullable(item);
    }

    public List<CancellationReason> cancellationReasons() {
        return cancellationReasons;
    }

    /**
     * Why one action of a transaction was (or was not) the reason it was cancelled. {@code code}
     * is {@code null} for an action that was fine ("None" on the wire).
     */
    public record CancellationReason(String code, String message, Item item) {
        public static final CancellationReason NONE = new CancellationReason(null, null, null);
    }
}
