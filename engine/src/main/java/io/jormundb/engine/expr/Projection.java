package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;

import java.util.Set;

/** A bound projection. Immutable and thread-safe. */
public interface Projection {
    /**
     * The requested attributes of {@code item}: nested paths ({@code a.b[2].c}) keep their
     * structure like DynamoDB's results; missing paths are simply absent.
     */
    Item apply(Item item);

    /** The top-level attributes the requested paths start at ({@code a} of {@code a.b[0]}), in request order. */
    Set<String> attributes();

    /** The top-level attributes some requested path goes below ({@code a} of {@code a.b} or {@code a[0]}). */
    Set<String> nestedAttributes();
}
