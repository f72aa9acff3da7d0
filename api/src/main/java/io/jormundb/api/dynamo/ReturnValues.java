package io.jormundb.api.dynamo;

import io.jormundb.engine.error.DynamoException;

import java.util.Set;

/** The ReturnValues member, with DynamoDB's rules per operation. */
final class ReturnValues {
    static final Set<String> ALL = Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");

    private ReturnValues() {
    }

    /** PutItem and DeleteItem: whether ALL_OLD was asked for (only NONE and ALL_OLD are allowed). */
    static boolean allOldOrNone(Request request) {
        String v = request.enumValue("ReturnValues", ALL, "NONE");
        if (!v.equals("NONE") && !v.equals("ALL_OLD")) {
            throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        return v.equals("ALL_OLD");
    }
}
