package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DescribeLimits: DynamoDB's default account and table capacity quotas. JormunDB throttles
 * nothing; tools that size provisioned tables against these numbers get the ones they expect.
 */
final class DescribeLimits implements Operation {
    private static final int ACCOUNT_MAX_UNITS = 80_000;
    private static final int TABLE_MAX_UNITS = 40_000;

    @Override
    public ObjectNode handle(Request request) {
        return JsonNodeFactory.instance.objectNode()
                .put("AccountMaxReadCapacityUnits", ACCOUNT_MAX_UNITS)
                .put("AccountMaxWriteCapacityUnits", ACCOUNT_MAX_UNITS)
                .put("TableMaxReadCapacityUnits", TABLE_MAX_UNITS)
                .put("TableMaxWriteCapacityUnits", TABLE_MAX_UNITS);
    }
}
