package io.jormundb.engine.expr;

/** The five places an expression can stand in a request; each names itself in DynamoDB's messages. */
public enum ExpressionKind {
    CONDITION("ConditionExpression"),
    FILTER("FilterExpression"),
    KEY_CONDITION("KeyConditionExpression"),
    UPDATE("UpdateExpression"),
    PROJECTION("ProjectionExpression");

    private final String parameterName;

    ExpressionKind(String parameterName) {
        this.parameterName = parameterName;
    }

    /** The request parameter, as DynamoDB names it in messages: {@code ConditionExpression}, … */
    public String parameterName() {
        return parameterName;
    }
}
