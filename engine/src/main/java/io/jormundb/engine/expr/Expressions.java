package io.jormundb.engine.expr;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.KeySchema;
import io.jormundb.engine.value.ItemSize;

import java.util.List;
import java.util.Set;

/**
 * Entry point of DynamoDB's expression language: parses an expression (cached by kind and text),
 * binds it to one request's {@link Placeholders} and returns something to run. Every client error
 * is a ValidationException worded as DynamoDB words it. Thread-safe.
 */
public final class Expressions {
    /** Longest expression DynamoDB accepts, in UTF-8 bytes. */
    public static final int MAX_EXPRESSION_BYTES = 4096;

    private static final ParseCache CACHE = new ParseCache(1024);

    private Expressions() {
    }

    /** A ConditionExpression ({@code kind} CONDITION) or FilterExpression ({@code kind} FILTER). */
    public static Condition condition(String text, ExpressionKind kind, Placeholders p) {
        if (kind != ExpressionKind.CONDITION && kind != ExpressionKind.FILTER) {
            throw new IllegalArgumentException("not a condition kind: " + kind);
        }
        return new ConditionPlan(Binder.condition(parsedCondition(text, kind), kind, p));
    }

    /**
     * An UpdateExpression. Throws when an action's path starts at one of {@code keyAttributeNames}
     * ("Cannot update attribute pk. This attribute is part of the key").
     */
    public static Update update(String text, Placeholders p, Set<String> keyAttributeNames) {
        Ast.UpdateExpr ast = CACHE.get(ExpressionKind.UPDATE, text, Ast.UpdateExpr.class, () -> {
            checkText(text, ExpressionKind.UPDATE);
            Ast.UpdateExpr parsed = Parser.parseUpdate(text);
            StaticCheck.update(parsed);
            return parsed;
        });
        List<UpdatePlan.Action> actions = Binder.update(ast, p);
        checkKeysUntouched(actions, keyAttributeNames);
        return new UpdatePlan(actions, false);
    }

    /** A ProjectionExpression. */
    public static Projection projection(String text, Placeholders p) {
        Ast.ProjectionExpr ast = CACHE.get(ExpressionKind.PROJECTION, text, Ast.ProjectionExpr.class, () -> {
            checkText(text, ExpressionKind.PROJECTION);
            Ast.ProjectionExpr parsed = Parser.parseProjection(text);
            StaticCheck.projection(parsed);
            return parsed;
        });
        return new ProjectionPlan(Binder.projection(ast, p));
    }

    /**
     * A Query's KeyConditionExpression: exactly {@code pk = :v}, optionally AND one sort key
     * condition ({@code = < <= > >= BETWEEN begins_with}), in either order, checked against the key
     * schema. {@code rangeKey} is null for a table (or index) without a sort key.
     */
    public static KeyCondition keyCondition(String text, Placeholders p, KeyAttribute hashKey, KeyAttribute rangeKey) {
        return keyCondition(text, p, KeySchema.of(hashKey, rangeKey));
    }

    /**
     * A Query's KeyConditionExpression against any key schema, also a global index's
     * multi-attribute one: {@code =} on every partition key attribute, and sort key attributes
     * from the first on, all with {@code =} but the last given.
     */
    public static KeyCondition keyCondition(String text, Placeholders p, KeySchema schema) {
        Ast.Cond ast = parsedCondition(text, ExpressionKind.KEY_CONDITION);
        Expr.Cond bound = Binder.condition(ast, ExpressionKind.KEY_CONDITION, p);
        return KeyConditions.fromExpression(bound, schema);
    }

    /**
     * Checks a KeyConditionExpression as far as it can be without a key schema: its syntax, its
     * functions and operators, its placeholders (marked used). For a request on a table that does
     * not exist, which DynamoDB answers with the expression's error first.
     */
    public static void checkKeyConditionText(String text, Placeholders p) {
        Binder.condition(parsedCondition(text, ExpressionKind.KEY_CONDITION), ExpressionKind.KEY_CONDITION, p);
    }

    static void checkKeysUntouched(List<UpdatePlan.Action> actions, Set<String> keyAttributeNames) {
        for (UpdatePlan.Action action : actions) {
            String attribute = action.path().attribute();
            if (keyAttributeNames.contains(attribute)) {
                throw Errors.invalidParameter(
                        "Cannot update attribute " + attribute + ". This attribute is part of the key");
            }
        }
    }

    private static Ast.Cond parsedCondition(String text, ExpressionKind kind) {
        return CACHE.get(kind, text, Ast.Cond.class, () -> {
            checkText(text, kind);
            Ast.Cond parsed = Parser.parseCondition(text, kind);
            StaticCheck.condition(parsed, kind);
            return parsed;
        });
    }

    private static void checkText(String text, ExpressionKind kind) {
        if (text.isEmpty()) {
            throw Errors.invalid(kind, "The expression can not be empty;");
        }
        int size = ItemSize.utf8Length(text);
        if (size > MAX_EXPRESSION_BYTES) {
            throw Errors.invalid(kind,
                    "Expression size has exceeded the maximum allowed size; expression size: " + size);
        }
    }

    /** How many parsed trees the cache holds (for tests). */
    static int cachedTrees() {
        return CACHE.size();
    }
}
