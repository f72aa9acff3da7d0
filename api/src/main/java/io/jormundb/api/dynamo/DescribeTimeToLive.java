package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TimeToLive;

/**
 * DescribeTimeToLive: DISABLED, or the attribute with ENABLING (while the items the table held
 * when TTL was enabled are added to the TTL index) or ENABLED.
 */
final class DescribeTimeToLive implements Operation {
    private final Engine engine;

    DescribeTimeToLive(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = engine.catalog().requireTable(request.tableName());
        TimeToLive ttl = table.timeToLive();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode description = out.putObject("TimeToLiveDescription");
        if (ttl == null) {
            description.put("TimeToLiveStatus", "DISABLED");
        } else {
            description.put("TimeToLiveStatus", ttl.status().name());
            description.put("AttributeName", ttl.attributeName());
        }
        return out;
    }
}
