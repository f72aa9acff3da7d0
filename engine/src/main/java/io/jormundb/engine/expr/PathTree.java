package io.jormundb.engine.expr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of document paths as a tree: each node's children are keyed by map field or list index,
 * and a node where a path ends carries that path's payload. Projections copy an item along such a
 * tree; updates rebuild an item along one, so all writes to one list are applied together.
 *
 * @param <T> what a path carries at its end
 */
final class PathTree<T> {
    final Map<String, PathTree<T>> fields = new LinkedHashMap<>();
    final TreeMap<Integer, PathTree<T>> elements = new TreeMap<>();
    boolean end;
    T payload;

    /** Adds a path; a later path ending at the same node replaces the payload. */
    void add(Expr.DocPath path, T payload) {
        PathTree<T> node = this;
        List<Expr.Step> steps = path.steps();
        for (Expr.Step step : steps) {
            node = switch (step) {
                case Expr.Field f -> node.fields.computeIfAbsent(f.name(), k -> new PathTree<>());
                case Expr.Element e -> node.elements.computeIfAbsent(e.index(), k -> new PathTree<>());
            };
        }
        node.end = true;
        node.payload = payload;
    }
}
