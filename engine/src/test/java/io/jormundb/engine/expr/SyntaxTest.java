package io.jormundb.engine.expr;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.jormundb.engine.expr.Fixtures.assertValidation;
import static io.jormundb.engine.expr.Fixtures.n;
import static io.jormundb.engine.expr.Fixtures.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntaxTest {
    private static void condition(String text, Object... placeholders) {
        Expressions.condition(text, ExpressionKind.CONDITION, p(placeholders));
    }

    private static void update(String text, Object... placeholders) {
        Expressions.update(text, p(placeholders), Set.of());
    }

    @Test
    void syntaxErrorNamesTheTokenAndItsNeighbours() {
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"b\", near: \":v b =\"",
                () -> update("SET a = :v b = :v", ":v", n("1")));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"x\", near: \"x\"", () -> update("x"));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"/\", near: \"a / :v\"",
                () -> update("SET x = a / :v", ":v", n("1")));
    }

    @Test
    void syntaxErrorAtTheEndNamesEofNearTheLastToken() {
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"",
                () -> condition("a ="));
        assertValidation("Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \":type\"",
                () -> Expressions.keyCondition("pk = :pk AND begins_with(sk, :type", p(":pk", n("1"), ":type", n("1")),
                        Fixtures.PK, Fixtures.SK));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"",
                () -> update("SET"));
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"",
                () -> Expressions.projection("a,", Placeholders.none()));
    }

    @Test
    void numbersAndStrayCharactersAreNotOperands() {
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"4\", near: \"> 4\"",
                () -> condition("a > 4"));
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"!\", near: \"a !=\"",
                () -> condition("a != :v", ":v", n("1")));
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"_\", near: \"_a\"",
                () -> condition("_a = :v", ":v", n("1")));
    }

    @Test
    void listIndexMustBeANumberInBrackets() {
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"x\", near: \"[x]\"",
                () -> Expressions.projection("a[x]", Placeholders.none()));
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"-\", near: \"[-1\"",
                () -> Expressions.projection("a[-1]", Placeholders.none()));
    }

    @Test
    void redundantParenthesesAreRejected() {
        assertValidation("Invalid ConditionExpression: The expression has redundant parentheses;",
                () -> condition("((a = :v))", ":v", n("1")));
        assertValidation("Invalid ConditionExpression: The expression has redundant parentheses;",
                () -> condition("((a)) = :v", ":v", n("1")));
    }

    @Test
    void singleParenthesesAroundConditionsAndOperandsAreFine() {
        condition("(a) = :v AND (b = :v OR (c = :v))", ":v", n("1"));
        condition("(size(a)) > :v", ":v", n("1"));
        update("SET a = (b + :v)", ":v", n("1"));
    }

    @Test
    void reservedWordsAreRejectedInAnyCase() {
        assertValidation("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status",
                () -> update("SET status = :v", ":v", n("1")));
        assertValidation("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Year",
                () -> condition("a.Year = :v", ":v", n("1")));
        assertValidation("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                () -> Expressions.projection("a, name", Placeholders.none()));
        condition("#s = :v", "#s", "status", ":v", n("1"));
    }

    @Test
    void reservedWordListIsDynamoDbsComplete() {
        assertEquals(573, ReservedWords.ALL.size());
        assertTrue(ReservedWords.isReserved("zone"));
        assertTrue(ReservedWords.isReserved("Abort"));
    }

    @Test
    void emptyExpressionsAreRejected() {
        assertValidation("Invalid ConditionExpression: The expression can not be empty;", () -> condition(""));
        assertValidation("Invalid UpdateExpression: The expression can not be empty;", () -> update(""));
    }

    @Test
    void expressionsOverFourKilobytesAreRejected() {
        String text = "a = :v AND " + "b".repeat(4097 - 11);
        assertEquals(4097, text.length());
        assertValidation("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
                + "expression size: 4097", () -> condition(text, ":v", n("1")));
    }

    @Test
    void deeplyNestedParenthesesAreRefusedNotACrash() {
        // 601 operators; DynamoDB stops counting at the first one over its limit (as Scylla's tests record).
        String text = "(a = :v AND ".repeat(300) + "a = :v" + ")".repeat(300);
        assertValidation("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                () -> condition(text, ":v", n("1")));
        String parentheses = "(".repeat(1000) + "a = :v" + ")".repeat(1000);
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"(\", near: \"(((\"",
                () -> condition(parentheses, ":v", n("1")));
    }

    @Test
    void manyParenthesisedConditionsInARowParse() {
        String text = "(a = :v) AND ".repeat(149) + "(a = :v)"; // 299 operators
        assertTrue(Expressions.condition(text, ExpressionKind.CONDITION, p(":v", n("1")))
                .test(Fixtures.item("a", n("1"))));
    }

    @Test
    void parsedTreesAreCachedAndBindingDoesNotChangeThem() {
        String text = "cachedattr = :v";
        assertTrue(Expressions.condition(text, ExpressionKind.CONDITION, p(":v", n("1")))
                .test(Fixtures.item("cachedattr", n("1"))));
        int cached = Expressions.cachedTrees();
        assertTrue(Expressions.condition(text, ExpressionKind.CONDITION, p(":v", n("2")))
                .test(Fixtures.item("cachedattr", n("2"))));
        assertEquals(cached, Expressions.cachedTrees());
    }

    @Test
    void parseCacheStaysBounded() {
        ParseCache cache = new ParseCache(8);
        for (int i = 0; i < 100; i++) {
            String text = "a" + i;
            cache.get(ExpressionKind.PROJECTION, text, String.class, () -> text);
        }
        assertTrue(cache.size() <= 8);
    }
}
