package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies the requested paths out of an item, keeping the item's shape: {@code a.b[2].c} gives
 * {@code {a: {b: [{c: …}]}}}. Paths that lead nowhere are simply absent; elements picked from a
 * list are kept in index order, without gaps.
 */
final class ProjectionPlan implements Projection {
    private final PathTree<Boolean> tree = new PathTree<>();

    ProjectionPlan(List<Expr.DocPath> paths) {
        for (Expr.DocPath path : paths) {
            tree.add(path, Boolean.TRUE);
        }
    }

    @Override
    public Item apply(Item item) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, PathTree<Boolean>> e : tree.fields.entrySet()) {
            AttributeValue v = item.get(e.getKey());
            AttributeValue projected = v == null ? null : project(v, e.getValue());
            if (projected != null) {
                out.put(e.getKey(), projected);
            }
        }
        return new Item(out);
    }

    @Override
    public Set<String> attributes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tree.fields.keySet()));
    }

    @Override
    public Set<String> nestedAttributes() {
        Set<String> out = new LinkedHashSet<>();
        tree.fields.forEach((name, node) -> {
            if (!node.end) {
                out.add(name);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    private static AttributeValue project(AttributeValue value, PathTree<Boolean> node) {
        if (node.end) {
            return value;
        }
        if (value instanceof AttributeValue.M m && !node.fields.isEmpty()) {
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            for (Map.Entry<String, PathTree<Boolean>> e : node.fields.entrySet()) {
                AttributeValue child = m.values().get(e.getKey());
                AttributeValue projected = child == null ? null : project(child, e.getValue());
                if (projected != null) {
                    out.put(e.getKey(), projected);
                }
            }
            return out.isEmpty() ? null : new AttributeValue.M(out);
        }
        if (value instanceof AttributeValue.L l && !node.elements.isEmpty()) {
            List<AttributeValue> out = new ArrayList<>();
            for (Map.Entry<Integer, PathTree<Boolean>> e : node.elements.entrySet()) {
                if (e.getKey() >= l.values().size()) {
                    break;
                }
                AttributeValue projected = project(l.values().get(e.getKey()), e.getValue());
                if (projected != null) {
                    out.add(projected);
                }
            }
            return out.isEmpty() ? null : new AttributeValue.L(out);
        }
        return null;
    }
}
