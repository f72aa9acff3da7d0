package io.jormundb.engine.items;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks items and keys against a table's key schema, with DynamoDB's messages. */
public final class ItemKeys {
    private ItemKeys() {
    }

    /**
     * The key of a full item (PutItem): every key attribute present, of its schema type, and not
     * an empty string or binary.
     */
    public static Item ofItem(TableDefinition table, Item item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (KeyAttribute k : table.keyAttributes()) {
            AttributeValue v = item.get(k.name());
            if (v == null) {
                throw DynamoException.validation(
                        "One or more parameter values were invalid: Missing the key " + k.name() + " in the item");
            }
            if (!v.type().equals(k.type())) {
                throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for key "
                        + k.name() + " expected: " + k.type() + " actual: " + v.type());
            }
            checkNotEmpty(k, v);
            key.put(k.name(), v);
        }
        return new Item(key);
    }

    /**
     * A Key parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes, of their
     * schema types.
     */
    public static Item ofKey(TableDefinition table, Item key) {
        List<KeyAttribute> keys = table.keyAttributes();
        if (key.attributes().size() != keys.size()) {
            throw DynamoException.validation("The provided key element does not match the schema");
        }
        Map<String, AttributeValue> ordered = new LinkedHashMap<>();
        for (KeyAttribute k : keys) {
            AttributeValue v = key.get(k.name());
            if (v == null || !v.type().equals(k.type())) {
                throw DynamoException.validation("The provided key element does not match the schema");
            }
            checkNotEmpty(k, v);
            ordered.put(k.name(), v);
        }
        return new Item(ordered);
    }

    /** The key attributes of an item known to be valid (a stored one). */
    public static Item project(TableDefinition table, Item item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (KeyAttribute k : table.keyAttributes()) {
            key.put(k.name(), item.get(k.name()));
        }
        return new Item(key);
    }

    private static void checkNotEmpty(KeyAttribute k, AttributeValue v) {
        boolean empty = switch (v) {
            case AttributeValue.S s -> s.value().isEmpty();
            case AttributeValue.B b -> b.value().length() == 0;
            default -> false;
        };
        if (empty) {
            throw DynamoException.validation("One or more parameter values are not valid. The AttributeValue for a "
                    + "key attribute cannot contain an empty " + (v instanceof AttributeValue.S ? "string" : "binary")
                    + " value. Key: " + k.name());
        }
    }
}
