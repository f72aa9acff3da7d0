package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Supplier;

/**
 * DescribeEndpoints (SDK endpoint discovery): this server itself, cached for a day as DynamoDB
 * answers, so a client that discovers endpoints keeps talking to it.
 */
final class DescribeEndpoints implements Operation {
    private static final int CACHE_MINUTES = 1440;
    private final Supplier<String> address;

    /** @param address host:port clients reach this server at */
    DescribeEndpoints(Supplier<String> address) {
        this.address = address;
    }

    @Override
    public ObjectNode handle(Request request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putArray("Endpoints").addObject().put("Address", address.get()).put("CachePeriodInMinutes", CACHE_MINUTES);
        return out;
    }
}
