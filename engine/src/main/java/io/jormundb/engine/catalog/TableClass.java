package io.jormundb.engine.catalog;

/** A table's class, as DynamoDB names it; JormunDB stores every class alike and reports it. */
public enum TableClass {
    STANDARD,
    STANDARD_INFREQUENT_ACCESS
}
