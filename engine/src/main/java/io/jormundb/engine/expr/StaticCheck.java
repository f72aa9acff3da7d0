package io.jormundb.engine.expr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of a parsed expression that do not depend on the request's placeholders, made once
 * per distinct text before the tree enters the cache: reserved words, list index range, function
 * names and where each function may stand, operand counts of condition functions, and SET, REMOVE,
 * ADD and DELETE at most once each. They run in the order the expression is written, so the first
 * problem in the text is the one reported.
 */
final class StaticCheck {
    private static final long MAX_INDEX = Integer.MAX_VALUE;

    private final ExpressionKind kind;

    private StaticCheck(ExpressionKind kind) {
        this.kind = kind;
    }

    static void condition(Ast.Cond cond, ExpressionKind kind) {
        new StaticCheck(kind).visit(cond);
    }

    static void projection(Ast.ProjectionExpr projection) {
        StaticCheck check = new StaticCheck(ExpressionKind.PROJECTION);
        for (Ast.Path path : projection.paths()) {
            check.path(path);
        }
    }

    /** Sections are read one kind at a time, in the order each kind first appears. */
    static void update(Ast.UpdateExpr update) {
        StaticCheck check = new StaticCheck(ExpressionKind.UPDATE);
        Map<Ast.Section, List<Ast.Clause>> sections = new LinkedHashMap<>();
        for (Ast.Clause clause : update.clauses()) {
            sections.computeIfAbsent(clause.section(), s -> new ArrayList<>()).add(clause);
        }
        for (Map.Entry<Ast.Section, List<Ast.Clause>> section : sections.entrySet()) {
            for (Ast.Clause clause : section.getValue()) {
                for (Ast.Action action : clause.actions()) {
                    check.path(action.path());
                    if (action.value() != null) {
                        check.operand(action.value());
                    }
                }
            }
            if (section.getValue().size() > 1) {
                throw Errors.invalid(ExpressionKind.UPDATE, "The \"" + section.getKey()
                        + "\" section can only be used once in an update expression;");
            }
        }
    }

    private void visit(Ast.Cond cond) {
        switch (cond) {
            case Ast.And and -> {
                visit(and.left());
                visit(and.right());
            }
            case Ast.Or or -> {
                visit(or.left());
                visit(or.right());
            }
            case Ast.Not not -> visit(not.operand());
            case Ast.Compare compare -> {
                operand(compare.left());
                operand(compare.right());
            }
            case Ast.Between between -> {
                operand(between.value());
                operand(between.lower());
                operand(between.upper());
            }
            case Ast.In in -> {
                operand(in.value());
                in.candidates().forEach(this::operand);
            }
            case Ast.CallCond callCond -> call(callCond.call(), true);
        }
    }

    private void operand(Ast.Operand operand) {
        switch (operand) {
            case Ast.Path path -> path(path);
            case Ast.Value ignored -> {
            }
            case Ast.Call call -> call(call, false);
            case Ast.Arithmetic arithmetic -> {
                operand(arithmetic.left());
                operand(arithmetic.right());
            }
        }
    }

    private void call(Ast.Call call, boolean asCondition) {
        String name = call.function();
        if (!Functions.exists(name)) {
            throw Errors.invalid(kind, "Invalid function name; function: " + name);
        }
        if (kind == ExpressionKind.UPDATE) {
            if (!Functions.UPDATE_OPERANDS.containsKey(name)) {
                throw Errors.invalid(kind, "The function is not allowed in an update expression; function: " + name);
            }
            // DynamoDB refuses list_append of a list_append (its parser takes it), whatever its depth.
            if (name.equals("list_append") && call.arguments().stream()
                    .anyMatch(a -> a instanceof Ast.Call inner && inner.function().equals("list_append"))) {
                throw Errors.invalid(kind,
                        "The function is not allowed to be used this way in an expression; function: " + name);
            }
        } else {
            if (Functions.UPDATE_OPERANDS.containsKey(name)) {
                throw Errors.invalid(kind, "The function is not allowed in a condition expression; function: " + name);
            }
            if (asCondition != Functions.CONDITIONS.containsKey(name)) {
                throw Errors.invalid(kind,
                        "The function is not allowed to be used this way in an expression; function: " + name);
            }
            if (call.arguments().size() != Functions.arity(name)) {
                throw Errors.invalid(kind, Errors.operandCount(name, call.arguments().size()));
            }
        }
        call.arguments().forEach(this::operand);
    }

    private void path(Ast.Path path) {
        for (Ast.PathPart part : path.parts()) {
            switch (part) {
                case Ast.Name name -> {
                    if (!name.placeholder() && ReservedWords.isReserved(name.text())) {
                        throw Errors.invalid(kind, "Attribute name is a reserved keyword; reserved keyword: " + name.text());
                    }
                }
                case Ast.Index index -> {
                    if (index.digits().length() > 10 || Long.parseLong(index.digits()) > MAX_INDEX) {
                        throw Errors.invalid(kind,
                                "List index is not within the allowable range; index: [" + index.digits() + "]");
                    }
                }
            }
        }
    }
}
