package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;

import java.util.List;

/**
 * Evaluates bound conditions and condition operands against an item. A missing attribute (or a
 * {@code size} of a type that has none) makes every comparison it takes part in false — except
 * {@code <>}, which is true — and never an error; values of different types are simply unequal and
 * unordered.
 */
final class Evaluator {
    private Evaluator() {
    }

    static boolean test(Expr.Cond cond, Item item) {
        return switch (cond) {
            case Expr.Always ignored -> true;
            case Expr.And and -> test(and.left(), item) && test(and.right(), item);
            case Expr.Or or -> test(or.left(), item) || test(or.right(), item);
            case Expr.Not not -> !test(not.operand(), item);
            case Expr.Compare compare -> compare(compare.comparator(), value(compare.left(), item),
                    value(compare.right(), item));
            case Expr.Between between -> {
                AttributeValue v = value(between.value(), item);
                AttributeValue lower = value(between.lower(), item);
                AttributeValue upper = value(between.upper(), item);
                yield v != null && lower != null && upper != null && Values.ordered(v, lower) && Values.ordered(v, upper)
                        && Values.compare(lower, v) <= 0 && Values.compare(v, upper) <= 0;
            }
            case Expr.In in -> {
                AttributeValue v = value(in.value(), item);
                if (v == null) {
                    yield false;
                }
                for (Expr.Operand candidate : in.candidates()) {
                    if (v.equals(value(candidate, item))) {
                        yield true;
                    }
                }
                yield false;
            }
            case Expr.Exists exists -> resolve(exists.path(), item) != null;
            case Expr.NotExists notExists -> resolve(notExists.path(), item) == null;
            case Expr.TypeIs typeIs -> {
                AttributeValue v = value(typeIs.value(), item);
                yield v != null && v.type().equals(typeIs.type());
            }
            case Expr.BeginsWith beginsWith -> {
                AttributeValue v = value(beginsWith.value(), item);
                AttributeValue prefix = value(beginsWith.prefix(), item);
                yield v != null && prefix != null && Values.beginsWith(v, prefix);
            }
            case Expr.Contains contains -> {
                AttributeValue container = value(contains.container(), item);
                AttributeValue element = value(contains.element(), item);
                yield container != null && element != null && Values.contains(container, element);
            }
        };
    }

    static boolean compare(Comparator comparator, AttributeValue a, AttributeValue b) {
        if (comparator == Comparator.EQ) {
            return a != null && a.equals(b);
        }
        if (comparator == Comparator.NE) {
            return a == null || !a.equals(b);
        }
        if (a == null || b == null || !Values.ordered(a, b)) {
            return false;
        }
        int c = Values.compare(a, b);
        return switch (comparator) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            default -> throw new IllegalStateException();
        };
    }

    /** The value of a condition operand, or null when there is none. */
    static AttributeValue value(Expr.Operand operand, Item item) {
        return switch (operand) {
            case Expr.Literal literal -> literal.value();
            case Expr.PathOf pathOf -> resolve(pathOf.path(), item);
            case Expr.Size size -> {
                AttributeValue v = value(size.operand(), item);
                yield v == null ? null : Values.size(v);
            }
            case Expr.IfNotExists ignored -> throw updateOperand(operand);
            case Expr.ListAppend ignored -> throw updateOperand(operand);
            case Expr.Arithmetic ignored -> throw updateOperand(operand);
        };
    }

    private static IllegalStateException updateOperand(Expr.Operand operand) {
        return new IllegalStateException("update operand in a condition: " + operand);
    }

    /** The value at a document path, or null when the item has nothing there. */
    static AttributeValue resolve(Expr.DocPath path, Item item) {
        List<Expr.Step> steps = path.steps();
        AttributeValue current = item.get(path.attribute());
        for (int i = 1; i < steps.size() && current != null; i++) {
            current = step(current, steps.get(i));
        }
        return current;
    }

    /** One step down from a value, or null when the value is not a map/list or has nothing there. */
    static AttributeValue step(AttributeValue value, Expr.Step step) {
        return switch (step) {
            case Expr.Field field -> value instanceof AttributeValue.M m ? m.values().get(field.name()) : null;
            case Expr.Element element -> value instanceof AttributeValue.L l && element.index() < l.values().size()
                    ? l.values().get(element.index()) : null;
        };
    }
}
