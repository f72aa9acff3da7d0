package io.jormundb.engine.expr;

/** The comparison operators of conditions, with the symbol DynamoDB prints in messages. */
enum Comparator {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    boolean isOrdering() {
        return this != EQ && this != NE;
    }

    /** The operator that says the same with the operands swapped: {@code :v < a} is {@code a > :v}. */
    Comparator mirrored() {
        return switch (this) {
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            default -> this;
        };
    }

    static Comparator ofSymbol(String symbol) {
        for (Comparator c : values()) {
            if (c.symbol.equals(symbol)) {
                return c;
            }
        }
        return null;
    }
}
