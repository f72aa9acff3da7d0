package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;

import java.util.Set;

/** A bound update. Immutable and thread-safe. */
public interface Update {
    /**
     * The new item made from the current one ({@link Item#EMPTY} when there is none: an upsert,
     * to which the caller adds the key). Every operand is read from {@code current}, never from a
     * half-updated item. Throws DynamoDB's ValidationException for what only the item can reveal:
     * a path into a missing or wrongly typed parent, an operand that does not exist, wrong types
     * for arithmetic, {@code list_append}, ADD or DELETE, and numbers out of range.
     */
    Item apply(Item current);

    /**
     * The attributes this update touched, projected out of {@code item}: pass the old item for
     * {@code ReturnValues=UPDATED_OLD}, the new one for {@code UPDATED_NEW}.
     */
    Item updatedAttributes(Item item);

    /**
     * Whether this update, applied where there is no item, creates one. It does unless every
     * action removes something (REMOVE, DELETE): DynamoDB creates no item just to remove from it,
     * while an update with no actions at all (an empty legacy {@code AttributeUpdates}) creates
     * the bare key.
     */
    boolean createsItem();

    /** The attributes below which an action writes ({@code a} of {@code SET a.b = :v} or {@code REMOVE a[0]}). */
    Set<String> nestedAttributes();
}
