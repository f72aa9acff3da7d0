package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;

/**
 * A bound condition or filter. Immutable and thread-safe.
 */
public interface Condition {
    /** Whether the condition holds for {@code item}; {@link Item#EMPTY} stands for "no item". */
    boolean test(Item item);
}
