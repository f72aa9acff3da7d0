package io.jormundb.engine.changelog;

/** What a change did to its item, as DynamoDB Streams names it. */
public enum EventName {
    INSERT,
    MODIFY,
    REMOVE
}
