package io.jormundb.engine.expr;

import java.util.List;

/**
 * The syntax tree of an expression as written: attribute names may still be {@code #placeholders}
 * and values are {@code :placeholders}. Trees are immutable and shared through the parse cache;
 * {@link Binder} resolves one against a request's placeholders into an {@link Expr} tree.
 */
final class Ast {
    private Ast() {
    }

    /** One step of a document path. */
    sealed interface PathPart permits Name, Index {
    }

    /** An attribute name as written: {@code title}, or a placeholder {@code #t}. */
    record Name(String text, boolean placeholder) implements PathPart {
    }

    /** A list index {@code [n]}, as written (it may be out of range). */
    record Index(String digits) implements PathPart {
    }

    /** An operand: a value, a path, a function call or arithmetic. */
    sealed interface Operand permits Path, Value, Call, Arithmetic {
    }

    record Path(List<PathPart> parts) implements Operand {
        Path {
            parts = List.copyOf(parts);
        }
    }

    /** A {@code :placeholder} value. */
    record Value(String placeholder) implements Operand {
    }

    /** A function call; whether the function exists and fits here is checked after parsing. */
    record Call(String function, List<Operand> arguments) implements Operand {
        Call {
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code a + b} or {@code a - b} in a SET action. */
    record Arithmetic(char operator, Operand left, Operand right) implements Operand {
    }

    /** A condition. */
    sealed interface Cond permits Compare, Between, In, And, Or, Not, CallCond {
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

    /** A function used as a condition: {@code attribute_exists(a)}, {@code begins_with(a, :p)}, … */
    record CallCond(Call call) implements Cond {
    }

    enum Section { SET, REMOVE, ADD, DELETE }

    /** One action of an update: {@code value} is the SET operand or the ADD/DELETE value, null for REMOVE. */
    record Action(Section section, Path path, Operand value) {
    }

    /** One {@code SET …}/{@code REMOVE …}/… clause as written, with its actions in order. */
    record Clause(Section section, List<Action> actions) {
        Clause {
            actions = List.copyOf(actions);
        }
    }

    record UpdateExpr(List<Clause> clauses) {
        UpdateExpr {
            clauses = List.copyOf(clauses);
        }
    }

    record ProjectionExpr(List<Path> paths) {
        ProjectionExpr {
            paths = List.copyOf(paths);
        }
    }
}
