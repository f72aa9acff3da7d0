/**
 * DynamoDB's expression language — condition, filter, key condition, update and projection
 * expressions — and the legacy parameters they replaced.
 *
 * <p>How a request's expression is run:
 * <pre>
 *   text ──Lexer──▶ tokens ──Parser──▶ Ast ──StaticCheck──▶ (ParseCache, by kind and text)
 *                                         │
 *        Placeholders of the request ──Binder──▶ Expr (names resolved, values known)
 *                                         │
 *          Evaluator (Condition) · UpdatePlan (Update) · ProjectionPlan (Projection) · KeyConditions
 * </pre>
 * {@link io.jormundb.engine.expr.Legacy} builds {@code Expr} trees directly. The cached
 * {@code Ast} never changes after parsing; binding produces a new tree per request. Every client
 * error is a {@code ValidationException} with DynamoDB's message; {@link io.jormundb.engine.expr.Expressions}
 * and {@link io.jormundb.engine.expr.Legacy} are the entry points.
 */
package io.jormundb.engine.expr;
