package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.error.DynamoException;

import java.util.List;

/** Rules the two transaction operations share. */
final class Transactions {
    static final int MAX_ACTIONS = 100;
    static final String SAME_ITEM = "Transaction request cannot include multiple operations on one item";

    /** DynamoDB's limit on the aggregate size of the items of a transaction: 4 MB. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private Transactions() {
    }

    /**
     * Refuses a transaction whose items add up to more than 4 MB: what a Put writes, the key of
     * every other action, and for an Update the values it may write (its expression attribute
     * values), measured as DynamoDB measures item sizes.
     */
    static void checkSize(long bytes) {
        if (bytes > MAX_BYTES) {
            throw DynamoException.validation("Transaction request cannot be larger than 4 MB: its items hold "
                    + bytes + " bytes");
        }
    }

    /** The request's {@code TransactItems}: required, 1 to 100 of them. */
    static List<JsonNode> actions(Request request) {
        List<JsonNode> actions = request.list("TransactItems");
        if (actions == null) {
            throw Request.missing("TransactItems");
        }
        checkCount(actions.size(), "transactItems");
        return actions;
    }

    /**
     * 1 to 100 actions. DynamoDB shows an empty list as {@code '[]'}; a long one it renders as
     * Java objects, which this message leaves out.
     */
    private static void checkCount(int actions, String member) {
        if (actions < 1) {
            throw DynamoException.validation("1 validation error detected: Value '[]' at '" + member + "' failed to "
                    + "satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (actions > MAX_ACTIONS) {
            throw DynamoException.validation("1 validation error detected: Value at '" + member + "' failed to "
                    + "satisfy constraint: Member must have length less than or equal to " + MAX_ACTIONS);
        }
    }
}
