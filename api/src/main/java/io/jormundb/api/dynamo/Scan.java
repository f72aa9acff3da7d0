package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.items.ReadSpec;

/**
 * Scan of a table or of one of its secondary indexes, also in parallel: segment s of n reads one
 * contiguous range of (index) partition key hashes.
 */
final class Scan implements Operation {
    private static final int MAX_SEGMENTS = 1_000_000;

    private final Engine engine;

    Scan(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        String name = request.tableName();
        Integer segment = request.integer("Segment");
        Integer total = request.integer("TotalSegments");
        if (total != null && (total < 1 || total > MAX_SEGMENTS)) {
            throw DynamoException.validation("1 validation error detected: Value '" + total + "' at 'totalSegments' "
                    + "failed to satisfy constraint: Member must have value "
                    + (total < 1 ? "greater than or equal to 1" : "less than or equal to " + MAX_SEGMENTS));
        }
        if (segment != null && (segment < 0 || segment >= MAX_SEGMENTS)) {
            throw DynamoException.validation("1 validation error detected: Value '" + segment + "' at 'segment' "
                    + "failed to satisfy constraint: Member must have value "
                    + (segment < 0 ? "greater than or equal to 0" : "less than or equal to " + (MAX_SEGMENTS - 1)));
        }
        if (segment != null && total == null) {
            throw DynamoException.validation("The TotalSegments parameter is required but was not present in the "
                    + "request when Segment parameter is present");
        }
        if (total != null && segment == null) {
            throw DynamoException.validation("The Segment parameter is required but was not present in the request "
                    + "when parameter TotalSegments is present");
        }
        if (segment != null && segment >= total) {
            throw DynamoException.validation("The Segment parameter is zero-based and must be less than parameter "
                    + "TotalSegments: Segment: " + segment + " is not less than TotalSegments: " + total);
        }
        ExpressionParams.checkMix(request, "AttributesToGet", "ScanFilter", "ConditionalOperator");
        String conditionalOperator = ExpressionParams.conditionalOperator(request, "ScanFilter");
        TableDefinition table = ExpressionParams.table(engine.catalog(), name, request);
        SecondaryIndex index = PageRequest.index(request, table);
        Placeholders placeholders = ExpressionParams.placeholders(request);
        ReadSpec spec = PageRequest.readSpec(request, table, index, placeholders, "ScanFilter", conditionalOperator);
        placeholders.checkAllUsed();
        return PageRequest.response(request, name, engine.items().scan(PageRequest.source(request, table, index, spec),
                segment == null ? 0 : segment, total == null ? 1 : total, spec), spec.countOnly());
    }
}
