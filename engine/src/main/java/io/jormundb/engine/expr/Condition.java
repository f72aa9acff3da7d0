package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;

import java.util.Set;

/**
 * A bound condition or filter. Immutable and thread-safe.
 */
public interface Condition {
    /** Whether the condition holds for {@code item}; {@link Item#EMPTY} stands for "no item". */
    boolean test(Item item);

    /**
     * The top-level attributes the condition's document paths start at ({@code a} of
     * {@code a.b[1]}), in the order they are written; a Query refuses a filter on a key attribute.
     */
    Set<String> attributes();

    /** Those of {@link #attributes()} that some path goes below ({@code a.b}, {@code a[0]}). */
    Set<String> nestedAttributes();
}
