package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jormundb.engine.expr.Fixtures.assertValidation;
import static io.jormundb.engine.expr.Fixtures.item;
import static io.jormundb.engine.expr.Fixtures.l;
import static io.jormundb.engine.expr.Fixtures.m;
import static io.jormundb.engine.expr.Fixtures.n;
import static io.jormundb.engine.expr.Fixtures.p;
import static io.jormundb.engine.expr.Fixtures.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ProjectionExpressionTest {
    private static final Item ITEM = item("a", s("x"), "b", m("c", l(n("0"), m("d", n("1"), "e", n("2")), n("2"))),
            "f", l(s("f0"), s("f1"), s("f2")));

    private static Item project(String text, Object... placeholders) {
        return Expressions.projection(text, p(placeholders)).apply(ITEM);
    }

    @Test
    void projectionKeepsTopLevelAttributes() {
        assertEquals(item("a", s("x")), project("a, zz"));
    }

    @Test
    void projectionKeepsTheStructureOfNestedPaths() {
        assertEquals(item("b", m("c", l(m("d", n("1"))))), project("b.c[1].d"));
    }

    @Test
    void projectionKeepsListElementsInIndexOrderWithoutGaps() {
        assertEquals(item("f", l(s("f0"), s("f2"))), project("f[2], f[0], f[7]"));
    }

    @Test
    void projectionOfMissingPathsGivesNothing() {
        assertEquals(Item.EMPTY, project("a.b, b.zz, f[5], b.c[0].d"));
    }

    @Test
    void projectionResolvesNamePlaceholders() {
        assertEquals(item("b", m("c", l(m("e", n("2"))))), project("#b.#c[1].e", "#b", "b", "#c", "c"));
    }

    @Test
    void projectionRejectsOverlappingPaths() {
        assertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [b, c], path two: [b, c, [1]]", () -> project("b.c, b.c[1]"));
        assertValidation("Invalid ProjectionExpression: Two document paths conflict with each other; must remove or "
                + "rewrite one of these paths; path one: [b, c], path two: [b, [0]]", () -> project("b.c, b[0]"));
    }

    @Test
    void projectionNamesTheAttributesItGoesBelow() {
        assertEquals(List.of("b", "f"),
                List.copyOf(Expressions.projection("a, b.c, f[0], #g", p("#g", "g")).nestedAttributes()));
    }

    @Test
    void attributesToGetProjectsTopLevelNames() {
        assertEquals(item("a", s("x")), Legacy.attributesToGet(List.of("a", "nope")).apply(ITEM));
        assertValidation("One or more parameter values were invalid: Duplicate value in attribute name: a",
                () -> Legacy.attributesToGet(List.of("a", "a")));
    }
}
