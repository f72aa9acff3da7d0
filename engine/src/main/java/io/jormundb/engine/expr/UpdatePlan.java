package io.jormundb.engine.expr;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.value.Numbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bound update: a list of actions applied together to an item. All values are computed from
 * the item as it was; then the writes are laid out as a {@link PathTree} and the item is rebuilt
 * along it, so that removing {@code l[1]} and {@code l[3]} removes the elements that stood at
 * those positions, and {@code SET l[10]} past the end appends (in index order).
 *
 * <p>Problems are reported the way DynamoDB orders them: a parent of the wrong type first, then
 * wrong operand types, then, action by action, a missing parent and a missing operand.
 */
final class UpdatePlan implements Update {
    sealed interface Action permits SetAction, RemoveAction, AddAction, DeleteAction {
        Expr.DocPath path();
    }

    record SetAction(Expr.DocPath path, Expr.Operand value) implements Action {
    }

    record RemoveAction(Expr.DocPath path) implements Action {
    }

    /** ADD a number or set members; for the legacy API also list elements. */
    record AddAction(Expr.DocPath path, AttributeValue value) implements Action {
    }

    record DeleteAction(Expr.DocPath path, AttributeValue value) implements Action {
    }

    private final List<Action> actions;
    private final boolean legacy;
    private final ProjectionPlan touched;

    /**
     * @param legacy true for {@code AttributeUpdates}: ADD may append lists, and type mismatches
     *               are worded as the legacy API words them
     */
    UpdatePlan(List<Action> actions, boolean legacy) {
        this.actions = List.copyOf(actions);
        this.legacy = legacy;
        this.touched = new ProjectionPlan(this.actions.stream().map(Action::path).toList());
    }

    @Override
    public Item updatedAttributes(Item item) {
        return touched.apply(item);
    }

    @Override
    public boolean createsItem() {
        return actions.isEmpty()
                || actions.stream().anyMatch(a -> a instanceof SetAction || a instanceof AddAction);
    }

    @Override
    public Set<String> nestedAttributes() {
        Set<String> out = new LinkedHashSet<>();
        for (Action action : actions) {
            if (action.path().length() > 1) {
                out.add(action.path().attribute());
            }
        }
        return out;
    }

    @Override
    public Item apply(Item current) {
        for (Action action : actions) {
            Expr.DocPath path = action.path();
            if (path.length() > 1) {
                AttributeValue parent = Evaluator.resolve(path.parent(), current);
                if (parent != null && !fits(parent, path.last())) {
                    throw DynamoException.validation(Errors.INVALID_PATH);
                }
            }
        }
        int n = actions.size();
        AttributeValue[] setValues = new AttributeValue[n];
        boolean[] missingOperand = new boolean[n];
        for (int i = 0; i < n; i++) {
            switch (actions.get(i)) {
                case SetAction set -> {
                    boolean[] missing = new boolean[1];
                    setValues[i] = value(set.value(), current, missing);
                    missingOperand[i] = missing[0];
                }
                case AddAction add -> checkAddType(add, current);
                case DeleteAction delete -> {
                    AttributeValue existing = existing(delete.path(), current);
                    if (existing != null && !existing.type().equals(delete.value().type())) {
                        throw typeMismatch();
                    }
                }
                case RemoveAction ignored -> {
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!writable(actions.get(i).path(), current)) {
                throw DynamoException.validation(Errors.INVALID_PATH);
            }
            if (missingOperand[i]) {
                throw DynamoException.validation(Errors.MISSING_ATTRIBUTE);
            }
        }
        PathTree<Write> writes = new PathTree<>();
        for (int i = 0; i < n; i++) {
            Action action = actions.get(i);
            AttributeValue existing = Evaluator.resolve(action.path(), current);
            switch (action) {
                case SetAction set -> writes.add(set.path(), new Write(setValues[i]));
                case RemoveAction remove -> writes.add(remove.path(), Write.REMOVE);
                case AddAction add -> writes.add(add.path(), new Write(added(existing, add.value())));
                case DeleteAction delete -> {
                    if (existing != null) {
                        writes.add(delete.path(), new Write(Values.difference(existing, delete.value())));
                    }
                }
            }
        }
        Map<String, AttributeValue> attributes = new LinkedHashMap<>(current.attributes());
        rebuildFields(attributes, writes);
        return new Item(attributes);
    }

    /** What one path ends up as: a value, or null to remove it. */
    private record Write(AttributeValue value) {
        static final Write REMOVE = new Write(null);
    }

    private void checkAddType(AddAction add, Item current) {
        AttributeValue existing = existing(add.path(), current);
        if (existing == null) {
            return;
        }
        AttributeValue value = add.value();
        boolean ok = value instanceof AttributeValue.N && existing instanceof AttributeValue.N
                || (Values.isSet(value) || legacy && value instanceof AttributeValue.L)
                && existing.type().equals(value.type());
        if (!ok) {
            throw typeMismatch();
        }
        if (value instanceof AttributeValue.N number) {
            Numbers.add(((AttributeValue.N) existing).value(), number.value());
        }
    }

    private static AttributeValue added(AttributeValue existing, AttributeValue value) {
        if (existing == null) {
            return value;
        }
        return switch (value) {
            case AttributeValue.N n -> new AttributeValue.N(Numbers.add(((AttributeValue.N) existing).value(), n.value()));
            case AttributeValue.L l -> Values.concat((AttributeValue.L) existing, l);
            default -> Values.union(existing, value);
        };
    }

    private DynamoException typeMismatch() {
        return DynamoException.validation(legacy ? "Type mismatch for attribute to update" : Errors.INCORRECT_TYPE);
    }

    /** The value at a writable path, or null. */
    private static AttributeValue existing(Expr.DocPath path, Item item) {
        return writable(path, item) ? Evaluator.resolve(path, item) : null;
    }

    /**
     * A SET value from the item as it was. Wrong types fail at once; a missing operand only sets
     * {@code missing[0]}, because DynamoDB reports wrong types anywhere before missing attributes.
     */
    private static AttributeValue value(Expr.Operand operand, Item item, boolean[] missing) {
        return switch (operand) {
            case Expr.Literal literal -> literal.value();
            case Expr.PathOf pathOf -> {
                AttributeValue v = Evaluator.resolve(pathOf.path(), item);
                if (v == null) {
                    missing[0] = true;
                }
                yield v;
            }
            case Expr.IfNotExists ifNotExists -> {
                AttributeValue v = Evaluator.resolve(ifNotExists.path(), item);
                yield v != null ? v : value(ifNotExists.fallback(), item, missing);
            }
            case Expr.ListAppend append -> {
                AttributeValue first = value(append.first(), item, missing);
                requireType(first, AttributeValue.L.class);
                AttributeValue second = value(append.second(), item, missing);
                requireType(second, AttributeValue.L.class);
                yield first == null || second == null ? null
                        : Values.concat((AttributeValue.L) first, (AttributeValue.L) second);
            }
            case Expr.Arithmetic arithmetic -> {
                AttributeValue left = value(arithmetic.left(), item, missing);
                requireType(left, AttributeValue.N.class);
                AttributeValue right = value(arithmetic.right(), item, missing);
                requireType(right, AttributeValue.N.class);
                if (left == null || right == null) {
                    yield null;
                }
                var a = ((AttributeValue.N) left).value();
                var b = ((AttributeValue.N) right).value();
                yield new AttributeValue.N(arithmetic.subtract() ? Numbers.subtract(a, b) : Numbers.add(a, b));
            }
            case Expr.Size size -> throw new IllegalStateException("size in an update: " + size);
        };
    }

    private static void requireType(AttributeValue value, Class<? extends AttributeValue> type) {
        if (value != null && !type.isInstance(value)) {
            throw DynamoException.validation(Errors.INCORRECT_TYPE);
        }
    }

    /** A path can be written when it is top-level or its parent exists as the map/list its last step needs. */
    private static boolean writable(Expr.DocPath path, Item item) {
        if (path.length() == 1) {
            return true;
        }
        AttributeValue parent = Evaluator.resolve(path.parent(), item);
        return parent != null && fits(parent, path.last());
    }

    private static boolean fits(AttributeValue parent, Expr.Step step) {
        return step instanceof Expr.Field ? parent instanceof AttributeValue.M : parent instanceof AttributeValue.L;
    }

    // ---- rebuilding along the write tree ----

    private static void rebuildFields(Map<String, AttributeValue> target, PathTree<Write> node) {
        for (Map.Entry<String, PathTree<Write>> e : node.fields.entrySet()) {
            PathTree<Write> child = e.getValue();
            if (child.end) {
                if (child.payload.value() == null) {
                    target.remove(e.getKey());
                } else {
                    target.put(e.getKey(), child.payload.value());
                }
            } else {
                target.put(e.getKey(), rebuild(target.get(e.getKey()), child));
            }
        }
    }

    private static AttributeValue rebuild(AttributeValue value, PathTree<Write> node) {
        if (value instanceof AttributeValue.M m) {
            Map<String, AttributeValue> entries = new LinkedHashMap<>(m.values());
            rebuildFields(entries, node);
            return new AttributeValue.M(entries);
        }
        List<AttributeValue> old = ((AttributeValue.L) value).values();
        List<AttributeValue> out = new ArrayList<>(old.size());
        for (int i = 0; i < old.size(); i++) {
            PathTree<Write> child = node.elements.get(i);
            if (child == null) {
                out.add(old.get(i));
            } else if (!child.end) {
                out.add(rebuild(old.get(i), child));
            } else if (child.payload.value() != null) {
                out.add(child.payload.value());
            }
        }
        for (PathTree<Write> child : node.elements.tailMap(old.size()).values()) {
            if (child.end && child.payload.value() != null) {
                out.add(child.payload.value());
            }
        }
        return new AttributeValue.L(out);
    }
}
