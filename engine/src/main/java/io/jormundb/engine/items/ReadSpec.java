package io.jormundb.engine.items;

import io.jormundb.engine.expr.Condition;
import io.jormundb.engine.expr.Projection;
import io.jormundb.engine.value.Item;


/**
 * What a Query or Scan page reads and returns, besides where it reads.
 *
 * @param limit             items to read at most (before the filter), {@code 0} for no limit
 * @param exclusiveStartKey where the previous page stopped, or {@code null}
 * @param filter            applied after the limit; {@code null} passes everything
 * @param projection        applied to returned items; {@code null} returns them whole
 * @param countOnly         Select COUNT: count, return no items
 */
public record ReadSpec(int limit, Item exclusiveStartKey, Condition filter, Projection projection,
                       boolean countOnly) {
    public static final ReadSpec ALL = new ReadSpec(0, null, null, null, false);
}
