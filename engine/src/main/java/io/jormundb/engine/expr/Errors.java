package io.jormundb.engine.expr;

import io.jormundb.engine.error.DynamoException;

/** DynamoDB's wording for expression errors, in one place. */
final class Errors {
    static final String MISSING_ATTRIBUTE =
            "The provided expression refers to an attribute that does not exist in the item";
    static final String INVALID_PATH =
            "The document path provided in the update expression is invalid for update";
    static final String INCORRECT_TYPE = "An operand in the update expression has an incorrect data type";

    private Errors() {
    }

    /** {@code Invalid <Parameter>: <detail>}. */
    static DynamoException invalid(ExpressionKind kind, String detail) {
        return DynamoException.validation("Invalid " + kind.parameterName() + ": " + detail);
    }

    static DynamoException invalidParameter(String detail) {
        return DynamoException.validation("One or more parameter values were invalid: " + detail);
    }

    static String operandType(String operatorOrFunction, String type) {
        return "Incorrect operand type for operator or function; operator or function: " + operatorOrFunction
                + ", operand type: " + type;
    }

    static String operandCount(String operatorOrFunction, int count) {
        return "Incorrect number of operands for operator or function; operator or function: " + operatorOrFunction
                + ", number of operands: " + count;
    }
}
