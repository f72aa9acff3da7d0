package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A bound condition tree as the public {@link Condition}. */
record ConditionPlan(Expr.Cond cond) implements Condition {
    @Override
    public boolean test(Item item) {
        return Evaluator.test(cond, item);
    }

    @Override
    public Set<String> attributes() {
        return pathHeads(false);
    }

    @Override
    public Set<String> nestedAttributes() {
        return pathHeads(true);
    }

    /** The attributes the condition's paths start at, in the order written; only paths below them if {@code nested}. */
    private Set<String> pathHeads(boolean nested) {
        List<Expr.DocPath> paths = new ArrayList<>();
        collect(cond, paths);
        Set<String> out = new LinkedHashSet<>();
        for (Expr.DocPath path : paths) {
            if (!nested || path.length() > 1) {
                out.add(path.attribute());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    private static void collect(Expr.Cond cond, List<Expr.DocPath> out) {
        switch (cond) {
            case Expr.Always ignored -> {
            }
            case Expr.And and -> {
                collect(and.left(), out);
                collect(and.right(), out);
            }
            case Expr.Or or -> {
                collect(or.left(), out);
                collect(or.right(), out);
            }
            case Expr.Not not -> collect(not.operand(), out);
            case Expr.Compare compare -> {
                collect(compare.left(), out);
                collect(compare.right(), out);
            }
            case Expr.Between between -> {
                collect(between.value(), out);
                collect(between.lower(), out);
                collect(between.upper(), out);
            }
            case Expr.In in -> {
                collect(in.value(), out);
                in.candidates().forEach(candidate -> collect(candidate, out));
            }
            case Expr.Exists exists -> out.add(exists.path());
            case Expr.NotExists notExists -> out.add(notExists.path());
            case Expr.TypeIs typeIs -> collect(typeIs.value(), out);
            case Expr.BeginsWith beginsWith -> {
                collect(beginsWith.value(), out);
                collect(beginsWith.prefix(), out);
            }
            case Expr.Contains contains -> {
                collect(contains.container(), out);
                collect(contains.element(), out);
            }
        }
    }

    private static void collect(Expr.Operand operand, List<Expr.DocPath> out) {
        switch (operand) {
            case Expr.PathOf pathOf -> out.add(pathOf.path());
            case Expr.Literal ignored -> {
            }
            case Expr.Size size -> collect(size.operand(), out);
            case Expr.IfNotExists ifNotExists -> {
                out.add(ifNotExists.path());
                collect(ifNotExists.fallback(), out);
            }
            case Expr.ListAppend append -> {
                collect(append.first(), out);
                collect(append.second(), out);
            }
            case Expr.Arithmetic arithmetic -> {
                collect(arithmetic.left(), out);
                collect(arithmetic.right(), out);
            }
        }
    }
}
