package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;

import java.util.ArrayList;
import java.util.List;

/**
 * A bound expression: every name resolved, every value known. This is what the evaluator runs;
 * the expression parser produces it from an {@link Ast} and the request's placeholders, and
 * {@link Legacy} builds it directly from the pre-expression parameters.
 */
final class Expr {
    private Expr() {
    }

    /** One step of a document path. */
    sealed interface Step permits Field, Element {
    }

    /** A map key (or, as the first step, a top-level attribute name). */
    record Field(String name) implements Step {
    }

    /** A list position. */
    record Element(int index) implements Step {
    }

    /** A document path such as {@code a.b[2].c}; never empty, and it starts with a {@link Field}. */
    record DocPath(List<Step> steps) {
        DocPath {
            steps = List.copyOf(steps);
            if (steps.isEmpty() || !(steps.getFirst() instanceof Field)) {
                throw new IllegalArgumentException("a document path starts with an attribute name: " + steps);
            }
        }

        static DocPath attribute(String name) {
            return new DocPath(List.of(new Field(name)));
        }

        String attribute() {
            return ((Field) steps.getFirst()).name();
        }

        int length() {
            return steps.size();
        }

        Step last() {
            return steps.getLast();
        }

        DocPath parent() {
            return new DocPath(steps.subList(0, steps.size() - 1));
        }

        /** DynamoDB's way of printing a path in messages: {@code [a, b, [2], c]}. */
        String describe() {
            List<String> parts = new ArrayList<>();
            for (Step step : steps) {
                parts.add(switch (step) {
                    case Field f -> f.name();
                    case Element e -> "[" + e.index() + "]";
                });
            }
            return "[" + String.join(", ", parts) + "]";
        }
    }

    /** A value computed from an item. */
    sealed interface Operand permits PathOf, Literal, Size, IfNotExists, ListAppend, Arithmetic {
    }

    record PathOf(DocPath path) implements Operand {
    }

    record Literal(AttributeValue value) implements Operand {
    }

    record Size(Operand operand) implements Operand {
    }

    record IfNotExists(DocPath path, Operand fallback) implements Operand {
    }

    record ListAppend(Operand first, Operand second) implements Operand {
    }

    record Arithmetic(boolean subtract, Operand left, Operand right) implements Operand {
    }

    /** A condition on an item. */
    sealed interface Cond permits Always, Compare, Between, In, And, Or, Not, Exists, NotExists, TypeIs,
            BeginsWith, Contains {
    }

    /** True for every item: the condition of an empty legacy {@code Expected} map. */
    record Always() implements Cond {
    }

    record Compare(Comparator comparator, Operand left, Operand right) implements Cond {
    }

    record Between(Operand value, Operand lower, Operand upper) implements Cond {
    }

    record In(Operand value, List<Operand> candidates) implements Cond {
        In {
            candidates = List.copyOf(candidates);
        }
    }

    record And(Cond left, Cond right) implements Cond {
    }

    record Or(Cond left, Cond right) implements Cond {
    }

    record Not(Cond operand) implements Cond {
    }

    record Exists(DocPath path) implements Cond {
    }

    record NotExists(DocPath path) implements Cond {
    }

    /** {@code attribute_type(path, :t)}: {@code type} is a wire type name such as {@code SS}. */
    /** attribute_type: of a path, or of any operand (DynamoDB takes a value too). */
    record TypeIs(Operand value, String type) implements Cond {
    }

    record BeginsWith(Operand value, Operand prefix) implements Cond {
    }

    record Contains(Operand container, Operand element) implements Cond {
    }
}
