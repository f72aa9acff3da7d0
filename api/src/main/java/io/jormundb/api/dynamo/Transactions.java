package io.jormundb.api.dynamo;

import io.jormundb.engine.error.DynamoException;

/** Rules the two transaction operations share. */
final class Transactions {
    static final int MAX_ACTIONS = 100;
    static final String SAME_ITEM = "Transaction request cannot include multiple operations on one item";

    private Transactions() {
    }

    /**
     * 1 to 100 actions. DynamoDB shows an empty list as {@code '[]'}; a long one it renders as
     * Java objects, which this message leaves out.
     */
    static void checkCount(int actions, String member) {
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
