package io.jormundb.api.dynamo;

import io.jormundb.engine.error.DynamoException;

import java.util.List;

/** The ReturnValues member, with DynamoDB's rules per operation. */
final class ReturnValues {
    /** The modes, in the order DynamoDB lists them when one is wrong. */
    private static final List<String> ALL = List.of("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");

    private ReturnValues() {
    }

    /** UpdateItem: any of the five modes, NONE when absent. */
    static String of(Request request) {
        return request.enumValue("ReturnValues", ALL, "NONE");
    }

    /** PutItem and DeleteItem: whether ALL_OLD was asked for (only NONE and ALL_OLD are allowed). */
    static boolean allOldOrNone(Request request) {
        String v = of(request);
        if (!v.equals("NONE") && !v.equals("ALL_OLD")) {
            throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        return v.equals("ALL_OLD");
    }
}
