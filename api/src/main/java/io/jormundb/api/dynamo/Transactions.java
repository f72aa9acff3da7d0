package io.jormundb.api.dynamo;

import io.jormundb.engine.error.DynamoException;

/** Rules the two transaction operations share. */
final class Transactions {
    static final int MAX_ACTIONS = 100;
    static final String SAME_ITEM = "Transaction request cannot include multiple operations on one item";

    private Transactions() {
    }

    static void checkCount(int actions, String member) {
        if (actions < 1 || actions > MAX_ACTIONS) {
            throw DynamoException.validation("1 validation error detected: Value at '" + member + "' failed to "
                    + "satisfy constraint: Member must have length "
                    + (actions < 1 ? "greater than or equal to 1" : "less than or equal to " + MAX_ACTIONS));
        }
    }
}
