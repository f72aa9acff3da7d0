package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;

/**
 * UpdateTimeToLive: enables TTL on an attribute or disables it, answering with the specification
 * as DynamoDB does. Enabling where TTL is enabled already, or naming another attribute than the
 * enabled one, is a ValidationException; so is disabling where it is disabled. Items the table
 * holds already are added to the TTL index in the background (DescribeTimeToLive says ENABLING
 * until then).
 */
final class UpdateTimeToLive implements Operation {
    private final Engine engine;

    UpdateTimeToLive(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        String name = request.tableName();
        JsonNode specNode = request.object("TimeToLiveSpecification");
        if (specNode == null) {
            throw Request.missing("TimeToLiveSpecification");
        }
        Request spec = new Request(specNode);
        String attribute = spec.string("AttributeName");
        if (attribute == null) {
            throw Request.missing("TimeToLiveSpecification.AttributeName");
        }
        if (!spec.has("Enabled")) {
            throw Request.missing("TimeToLiveSpecification.Enabled");
        }
        boolean enabled = spec.bool("Enabled", false);
        // Named as a key attribute is: 1 to 255 characters.
        new KeyNameLengths().name(attribute, "timeToLiveSpecification.attributeName").check();
        TableDefinition table = engine.catalog().requireTable(name);
        if (enabled) {
            engine.indexing().enableTimeToLive(table, attribute);
        } else {
            engine.indexing().disableTimeToLive(table, attribute);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("TimeToLiveSpecification").put("AttributeName", attribute).put("Enabled", enabled);
        return out;
    }
}
