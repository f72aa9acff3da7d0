package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.expr.Expressions;
import io.jormundb.engine.expr.Legacy;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.expr.Projection;
import io.jormundb.engine.value.Item;

import java.util.ArrayList;
import java.util.List;

/**
 * What a read returns of each item: ProjectionExpression (with ExpressionAttributeNames) or the
 * legacy AttributesToGet, never both. Shared by GetItem, BatchGetItem and TransactGetItems.
 */
final class ItemReads {
    private ItemReads() {
    }

    /** A parsed projection of one request (or one table of a batch). */
    record Read(Projection projection, Placeholders placeholders) {
        Item project(Item item) {
            return projection == null ? item : projection.apply(item);
        }
    }

    /** The projection of a read of {@code table}; a path below a key attribute is refused. */
    static Read of(Request request, TableDefinition table) {
        return read(request, table, true);
    }

    /**
     * The projection of a TransactGetItems {@code Get}, which has no AttributesToGet member: one
     * sent is ignored, as DynamoDB ignores members it does not know.
     */
    static Read ofExpression(Request request, TableDefinition table) {
        return read(request, table, false);
    }

    private static Read read(Request request, TableDefinition table, boolean legacy) {
        String expression = request.string("ProjectionExpression");
        List<String> attributesToGet = legacy ? attributesToGet(request) : null;
        Placeholders placeholders = ExpressionParams.placeholders(request);
        if (legacy) {
            ExpressionParams.checkMix(request, "AttributesToGet");
        }
        Projection projection = null;
        if (expression != null) {
            projection = Expressions.projection(expression, placeholders);
            ExpressionParams.checkKeysScalar(table, projection.nestedAttributes());
        } else if (attributesToGet != null) {
            projection = Legacy.attributesToGet(attributesToGet);
        }
        return new Read(projection, placeholders);
    }

    /** Checks, after all of a request's expressions were read, that every placeholder was used. */
    static void checkAllUsed(List<Read> reads) {
        for (Read read : reads) {
            read.placeholders().checkAllUsed();
        }
    }

    /** AttributesToGet: absent ({@code null}) or at least one name, as DynamoDB requires. */
    static List<String> attributesToGet(Request request) {
        return texts(request.list("AttributesToGet", 1), "AttributesToGet");
    }

    static List<String> strings(Request request, String member) {
        return texts(request.list(member), member);
    }

    private static List<String> texts(List<JsonNode> nodes, String member) {
        if (nodes == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : nodes) {
            if (!n.isTextual()) {
                throw AttributeJson.wrongType(member, "a list of strings");
            }
            out.add(n.textValue());
        }
        return out;
    }
}
