package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

/**
 * DescribeContinuousBackups and UpdateContinuousBackups. Point-in-time recovery is not
 * supported: it is reported DISABLED, turning it off succeeds, turning it on is refused with a
 * ValidationException that says so (back a server up by copying a RocksDB checkpoint instead).
 */
final class ContinuousBackups {
    private ContinuousBackups() {
    }

    static Operation describe(Engine engine) {
        return request -> {
            requireTable(engine.catalog(), request);
            return description();
        };
    }

    static Operation update(Engine engine) {
        return request -> {
            requireTable(engine.catalog(), request);
            JsonNode spec = request.object("PointInTimeRecoverySpecification");
            if (spec == null) {
                throw DynamoException.validation("1 validation error detected: Value null at "
                        + "'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null");
            }
            Request s = new Request(spec);
            if (!s.has("PointInTimeRecoveryEnabled")) {
                throw DynamoException.validation("1 validation error detected: Value null at "
                        + "'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: "
                        + "Member must not be null");
            }
            if (s.bool("PointInTimeRecoveryEnabled", false)) {
                throw DynamoException.validation("Point-in-time recovery is not supported by JormunDB: it stays "
                        + "DISABLED (back up a server by copying a checkpoint of its data directory)");
            }
            return description();
        };
    }

    /** DynamoDB answers an unknown table here with TableNotFoundException, not ResourceNotFound. */
    private static void requireTable(Catalog catalog, Request request) {
        String name = request.tableName();
        if (catalog.find(name).isEmpty()) {
            throw new DynamoException(ErrorCode.TABLE_NOT_FOUND, "Table not found: " + name);
        }
    }

    private static ObjectNode description() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode d = out.putObject("ContinuousBackupsDescription");
        d.put("ContinuousBackupsStatus", "ENABLED");
        d.putObject("PointInTimeRecoveryDescription").put("PointInTimeRecoveryStatus", "DISABLED");
        return out;
    }
}
