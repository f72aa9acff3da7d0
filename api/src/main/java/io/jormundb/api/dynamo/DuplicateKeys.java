package io.jormundb.api.dynamo;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;

import java.util.HashSet;
import java.util.Set;

/** Finds an item named twice in one batch or transaction. */
final class DuplicateKeys {
    private final Set<Bytes> seen = new HashSet<>();
    private final String message;

    DuplicateKeys() {
        this("Provided list of item keys contains duplicates");
    }

    DuplicateKeys(String message) {
        this.message = message;
    }

    /** Records {@code key} of {@code table}; a second time is the ValidationException DynamoDB gives. */
    void add(TableDefinition table, Item key) {
        byte[] storageKey = Items.itemKey(table, key);
        if (!seen.add(Bytes.wrap(storageKey))) {
            throw DynamoException.validation(message);
        }
    }
}
