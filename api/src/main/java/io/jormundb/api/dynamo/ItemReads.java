package io.jormundb.api.dynamo;

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

        /** Refuses a projection path below a key attribute of {@code table}. */
        void checkKeysScalar(TableDefinition table) {
            if (projection != null) {
                ExpressionParams.checkKeysScalar(table, projection.nestedAttributes());
            }
        }
    }

    static Read of(Request request) {
        String expression = request.string("ProjectionExpression");
        List<String> attributesToGet = strings(request, "AttributesToGet");
        Placeholders placeholders = ExpressionParams.placeholders(request);
        ExpressionParams.checkMix(request, "AttributesToGet");
        if (expression != null) {
            return new Read(Expressions.projection(expression, placeholders), placeholders);
        }
        if (attributesToGet != null) {
            return new Read(Legacy.attributesToGet(attributesToGet), placeholders);
        }
        return new Read(null, placeholders);
    }

    /** Checks, after all of a request's expressions were read, that every placeholder was used. */
    static void checkAllUsed(List<Read> reads) {
        for (Read read : reads) {
            read.placeholders().checkAllUsed();
        }
    }

    static List<String> strings(Request request, String member) {
        var nodes = request.list(member);
        if (nodes == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (var n : nodes) {
            if (!n.isTextual()) {
                throw AttributeJson.wrongType(member, "a list of strings");
            }
            out.add(n.textValue());
        }
        return out;
    }
}
