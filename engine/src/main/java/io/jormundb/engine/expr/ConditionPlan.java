package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;

/** A bound condition tree as the public {@link Condition}. */
record ConditionPlan(Expr.Cond cond) implements Condition {
    @Override
    public boolean test(Item item) {
        return Evaluator.test(cond, item);
    }
}
