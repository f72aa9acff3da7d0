package io.jormundb.engine.expr;

import io.jormundb.engine.expr.Lexer.Token;
import io.jormundb.engine.expr.Lexer.Type;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Recursive-descent parser for the three expression grammars (condition, update, projection).
 *
 * <p>Condition precedence, loosest first: {@code OR}, {@code AND}, {@code NOT}, then the
 * comparisons, {@code BETWEEN}, {@code IN} and functions. A {@code (} may open a parenthesised
 * operand or a parenthesised condition; the parser tries the operand reading first (so
 * {@code (size(a)) > :v} is a comparison) and, when both fail, reports the error of whichever
 * reading got further.
 *
 * <p>Syntax errors name the token where reading stopped and, as {@code near}, the text from the
 * token before it to the token after it: {@code SET a = :v b = :w} fails with
 * {@code token: "b", near: ":v b ="}; at the end the token is {@code <EOF>} and near is the last
 * token. Two parentheses straight around the same thing are refused as soon as the outer one closes.
 */
final class Parser {
    /** The most operators a condition may hold (DynamoDB's limit; function calls and parentheses are none). */
    private static final int MAX_OPERATORS = 300;
    /**
     * Deepest nesting of parentheses, NOTs and calls we follow before calling the text a syntax
     * error: enough for a condition of {@link #MAX_OPERATORS} nested each in parentheses of its own.
     */
    private static final int MAX_NESTING = 2 * MAX_OPERATORS + 10;

    private final String text;
    private final ExpressionKind kind;
    private final List<Token> tokens;
    /** For each {@code (} token, the index of its matching {@code )}, or -1. */
    private final int[] closing;
    private int pos;
    private int depth;

    /** Signals a syntax error at a token; caught to backtrack, turned into DynamoDB's message at the top. */
    private static final class SyntaxError extends RuntimeException {
        final int at;

        SyntaxError(int at) {
            super(null, null, false, false);
            this.at = at;
        }
    }

    private Parser(String text, ExpressionKind kind) {
        this.text = text;
        this.kind = kind;
        this.tokens = Lexer.tokenize(text, kind);
        this.closing = matchParentheses(tokens);
    }

    static Ast.Cond parseCondition(String text, ExpressionKind kind) {
        Parser p = new Parser(text, kind);
        Ast.Cond cond;
        try {
            cond = p.condition();
            p.expectEnd();
        } catch (SyntaxError e) {
            throw p.syntaxError(e.at);
        }
        int operators = operators(cond);
        if (operators > MAX_OPERATORS) {
            throw Errors.invalid(kind, "The expression contains too many operators; operator count: " + operators);
        }
        return cond;
    }

    /**
     * The operators of {@code cond} as DynamoDB counts them: comparisons, BETWEEN, IN, AND, OR, NOT;
     * like DynamoDB's message, the count stops at the first one over the limit.
     */
    private static int operators(Ast.Cond cond) {
        int count = 0;
        Deque<Ast.Cond> left = new ArrayDeque<>();
        left.push(cond);
        while (!left.isEmpty() && count <= MAX_OPERATORS) {
            switch (left.pop()) {
                case Ast.And and -> {
                    count++;
                    left.push(and.left());
                    left.push(and.right());
                }
                case Ast.Or or -> {
                    count++;
                    left.push(or.left());
                    left.push(or.right());
                }
                case Ast.Not not -> {
                    count++;
                    left.push(not.operand());
                }
                case Ast.Compare c -> count++;
                case Ast.Between b -> count++;
                case Ast.In in -> count++;
                case Ast.CallCond call -> {
                    // A function call is no operator.
                }
            }
        }
        return count;
    }

    static Ast.UpdateExpr parseUpdate(String text) {
        Parser p = new Parser(text, ExpressionKind.UPDATE);
        try {
            return p.update();
        } catch (SyntaxError e) {
            throw p.syntaxError(e.at);
        }
    }

    static Ast.ProjectionExpr parseProjection(String text) {
        Parser p = new Parser(text, ExpressionKind.PROJECTION);
        try {
            List<Ast.Path> paths = new ArrayList<>();
            paths.add(p.path());
            while (p.peek().is(",")) {
                p.pos++;
                paths.add(p.path());
            }
            p.expectEnd();
            return new Ast.ProjectionExpr(paths);
        } catch (SyntaxError e) {
            throw p.syntaxError(e.at);
        }
    }

    // ---- conditions ----

    private Ast.Cond condition() {
        Ast.Cond left = andCondition();
        while (peek().is("OR")) {
            pos++;
            left = new Ast.Or(left, andCondition());
        }
        return left;
    }

    private Ast.Cond andCondition() {
        Ast.Cond left = notCondition();
        while (peek().is("AND")) {
            pos++;
            left = new Ast.And(left, notCondition());
        }
        return left;
    }

    private Ast.Cond notCondition() {
        if (peek().is("NOT")) {
            pos++;
            enter();
            Ast.Cond operand = notCondition();
            depth--;
            return new Ast.Not(operand);
        }
        return primary();
    }

    private Ast.Cond primary() {
        if (!peek().is("(")) {
            return comparison();
        }
        int start = pos;
        int startDepth = depth;
        SyntaxError first;
        try {
            return comparison();
        } catch (SyntaxError e) {
            first = e;
        }
        pos = start;
        depth = startDepth;
        try {
            return parenthesisedCondition();
        } catch (SyntaxError e) {
            throw e.at > first.at ? e : first;
        }
    }

    private Ast.Cond parenthesisedCondition() {
        int open = pos++;
        enter();
        Ast.Cond inner = condition();
        expect(")");
        depth--;
        checkRedundant(open);
        return inner;
    }

    private Ast.Cond comparison() {
        Ast.Operand left = operand();
        Token t = peek();
        Comparator comparator = t.type() == Type.OPERATOR ? Comparator.ofSymbol(t.text()) : null;
        if (comparator != null) {
            pos++;
            return new Ast.Compare(comparator, left, operand());
        }
        if (t.is("BETWEEN")) {
            pos++;
            Ast.Operand lower = operand();
            expect("AND");
            return new Ast.Between(left, lower, operand());
        }
        if (t.is("IN")) {
            pos++;
            expect("(");
            List<Ast.Operand> candidates = new ArrayList<>();
            candidates.add(operand());
            while (peek().is(",")) {
                pos++;
                candidates.add(operand());
            }
            expect(")");
            return new Ast.In(left, candidates);
        }
        if (left instanceof Ast.Call call) {
            return new Ast.CallCond(call);
        }
        throw new SyntaxError(pos);
    }

    // ---- operands and paths ----

    private Ast.Operand operand() {
        Token t = peek();
        if (t.type() == Type.COLON_VALUE) {
            pos++;
            return new Ast.Value(t.text());
        }
        if (t.is("(")) {
            int open = pos++;
            enter();
            Ast.Operand inner = kind == ExpressionKind.UPDATE ? setValue() : operand();
            expect(")");
            depth--;
            checkRedundant(open);
            return inner;
        }
        if (t.type() == Type.NAME && peek(1).is("(")) {
            return call();
        }
        return path();
    }

    private Ast.Call call() {
        String function = tokens.get(pos).text();
        pos++;
        expect("(");
        enter();
        List<Ast.Operand> arguments = new ArrayList<>();
        arguments.add(operand());
        while (peek().is(",")) {
            pos++;
            arguments.add(operand());
        }
        expect(")");
        depth--;
        return new Ast.Call(function, arguments);
    }

    private Ast.Path path() {
        List<Ast.PathPart> parts = new ArrayList<>();
        parts.add(pathName());
        while (true) {
            if (peek().is(".")) {
                pos++;
                parts.add(pathName());
            } else if (peek().is("[")) {
                pos++;
                Token index = peek();
                if (index.type() != Type.INTEGER) {
                    throw new SyntaxError(pos);
                }
                pos++;
                expect("]");
                parts.add(new Ast.Index(index.text()));
            } else {
                return new Ast.Path(parts);
            }
        }
    }

    private Ast.Name pathName() {
        Token t = peek();
        if (t.type() != Type.NAME && t.type() != Type.HASH_NAME) {
            throw new SyntaxError(pos);
        }
        pos++;
        return new Ast.Name(t.text(), t.type() == Type.HASH_NAME);
    }

    // ---- updates ----

    private Ast.UpdateExpr update() {
        List<Ast.Clause> clauses = new ArrayList<>();
        do {
            Token keyword = peek();
            if (keyword.type() != Type.KEYWORD) {
                throw new SyntaxError(pos);
            }
            pos++;
            Ast.Section section = Ast.Section.valueOf(keyword.text());
            List<Ast.Action> actions = new ArrayList<>();
            actions.add(action(section));
            while (peek().is(",")) {
                pos++;
                actions.add(action(section));
            }
            clauses.add(new Ast.Clause(section, actions));
        } while (peek().type() != Type.EOF);
        return new Ast.UpdateExpr(clauses);
    }

    private Ast.Action action(Ast.Section section) {
        Ast.Path path = path();
        return switch (section) {
            case SET -> {
                expect("=");
                yield new Ast.Action(section, path, setValue());
            }
            case REMOVE -> new Ast.Action(section, path, null);
            case ADD, DELETE -> {
                Token value = peek();
                if (value.type() != Type.COLON_VALUE) {
                    throw new SyntaxError(pos);
                }
                pos++;
                yield new Ast.Action(section, path, new Ast.Value(value.text()));
            }
        };
    }

    private Ast.Operand setValue() {
        Ast.Operand left = operand();
        if (peek().is("+") || peek().is("-")) {
            char operator = tokens.get(pos++).text().charAt(0);
            return new Ast.Arithmetic(operator, left, operand());
        }
        return left;
    }

    // ---- helpers ----

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private void expect(String operatorOrKeyword) {
        if (!peek().is(operatorOrKeyword)) {
            throw new SyntaxError(pos);
        }
        pos++;
    }

    private void expectEnd() {
        if (peek().type() != Type.EOF) {
            throw new SyntaxError(pos);
        }
    }

    private void enter() {
        if (++depth > MAX_NESTING) {
            throw new SyntaxError(pos);
        }
    }

    /** Called when the group opened at {@code open} has just closed (at {@code pos - 1}). */
    private void checkRedundant(int open) {
        int close = pos - 1;
        if (tokens.get(open + 1).is("(") && closing[open + 1] == close - 1) {
            throw Errors.invalid(kind, "The expression has redundant parentheses;");
        }
    }

    private RuntimeException syntaxError(int at) {
        Token token = tokens.get(at);
        int from = at > 0 ? tokens.get(at - 1).start() : token.start();
        int to = at + 1 < tokens.size() ? tokens.get(at + 1).end() : token.end();
        return Errors.invalid(kind, "Syntax error; token: \"" + token.text() + "\", near: \""
                + text.substring(from, Math.max(from, to)) + "\"");
    }

    private static int[] matchParentheses(List<Token> tokens) {
        int[] closing = new int[tokens.size()];
        Arrays.fill(closing, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is("(")) {
                open.push(i);
            } else if (tokens.get(i).is(")") && !open.isEmpty()) {
                closing[open.pop()] = i;
            }
        }
        return closing;
    }
}
