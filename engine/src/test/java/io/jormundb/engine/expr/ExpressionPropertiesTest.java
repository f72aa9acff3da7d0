package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.jormundb.engine.expr.Fixtures.holds;
import static io.jormundb.engine.expr.Fixtures.item;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExpressionPropertiesTest {
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma", "#p", "#q");

    @Property
    void stringOrderIsTheOrderOfUtf8Bytes(@ForAll String a, @ForAll String b) {
        Assume.that(wellFormed(a) && wellFormed(b));
        int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, Integer.signum(Values.compareStrings(a, b)));
    }

    @Property
    void exactlyOneOfLessEqualGreaterHoldsForTwoNumbers(@ForAll("numbers") BigDecimal a, @ForAll("numbers") BigDecimal b) {
        Item it = item("x", new io.jormundb.engine.value.AttributeValue.N(a));
        var v = new io.jormundb.engine.value.AttributeValue.N(b);
        int holding = (holds("x < :v", it, ":v", v) ? 1 : 0) + (holds("x = :v", it, ":v", v) ? 1 : 0)
                + (holds("x > :v", it, ":v", v) ? 1 : 0);
        assertEquals(1, holding);
        assertEquals(holds("x < :v", it, ":v", v), holds(":v > x", it, ":v", v));
        assertEquals(holds("x <= :v", it, ":v", v), !holds("x > :v", it, ":v", v));
    }

    @Property(tries = 300)
    void printedConditionParsesBackToTheSameTree(@ForAll("conditions") Ast.Cond cond) {
        String text = print(cond);
        try {
            assertEquals(cond, Parser.parseCondition(text, ExpressionKind.CONDITION));
        } catch (RuntimeException e) {
            throw new AssertionError(text, e);
        }
    }

    @Provide
    Arbitrary<BigDecimal> numbers() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-1E10"), new BigDecimal("1E10")).ofScale(3);
    }

    @Provide
    Arbitrary<Ast.Cond> conditions() {
        return Arbitraries.recursive(ExpressionPropertiesTest::leaf, inner -> Arbitraries.oneOf(
                Combinators.combine(inner, inner).as(Ast.And::new),
                Combinators.combine(inner, inner).as(Ast.Or::new),
                inner.map(Ast.Not::new)), 0, 6);
    }

    private static Arbitrary<Ast.Cond> leaf() {
        Arbitrary<Ast.Path> paths = Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(3).map(names -> new Ast.Path(
                names.stream().<Ast.PathPart>map(n -> new Ast.Name(n, n.startsWith("#"))).toList()));
        Arbitrary<Ast.Operand> values = Arbitraries.integers().between(0, 9).map(i -> new Ast.Value(":v" + i));
        Arbitrary<Ast.Cond> compare = Combinators.combine(Arbitraries.of(Comparator.class), paths, values)
                .as((c, p, v) -> new Ast.Compare(c, p, v));
        Arbitrary<Ast.Cond> between = Combinators.combine(paths, values, values).as(Ast.Between::new);
        Arbitrary<Ast.Cond> in = Combinators.combine(paths, values.list().ofMinSize(1).ofMaxSize(3)).as(Ast.In::new);
        Arbitrary<Ast.Cond> exists = paths.map(p -> new Ast.CallCond(new Ast.Call("attribute_exists", List.of(p))));
        Arbitrary<Ast.Cond> begins = Combinators.combine(paths, values)
                .as((p, v) -> new Ast.CallCond(new Ast.Call("begins_with", List.of(p, v))));
        return Arbitraries.oneOf(compare, between, in, exists, begins);
    }

    private static String print(Ast.Cond cond) {
        return switch (cond) {
            case Ast.And and -> "(" + print(and.left()) + ") AND (" + print(and.right()) + ")";
            case Ast.Or or -> "(" + print(or.left()) + ") or (" + print(or.right()) + ")";
            case Ast.Not not -> "NOT (" + print(not.operand()) + ")";
            case Ast.Compare c -> print(c.left()) + " " + c.comparator().symbol() + " " + print(c.right());
            case Ast.Between b -> print(b.value()) + " BETWEEN " + print(b.lower()) + " AND " + print(b.upper());
            case Ast.In in -> print(in.value()) + " IN (" + String.join(", ",
                    in.candidates().stream().map(ExpressionPropertiesTest::print).toList()) + ")";
            case Ast.CallCond call -> call.call().function() + "(" + String.join(", ",
                    call.call().arguments().stream().map(ExpressionPropertiesTest::print).toList()) + ")";
        };
    }

    private static String print(Ast.Operand operand) {
        return switch (operand) {
            case Ast.Value v -> v.placeholder();
            case Ast.Path p -> String.join(".", p.parts().stream().map(part -> ((Ast.Name) part).text()).toList());
            default -> throw new IllegalArgumentException(operand.toString());
        };
    }

    private static boolean wellFormed(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }
}
