package io.jormundb.engine.value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An item: attribute names to values, immutable, in the order its attributes were given. */
public record Item(Map<String, AttributeValue> attributes) {
    public static final Item EMPTY = new Item(Map.of());

    public Item {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public AttributeValue get(String name) {
        return attributes.get(name);
    }

    public boolean isEmpty() {
        return attributes.isEmpty();
    }

    /** DynamoDB's size of this item in bytes (see {@link ItemSize}). */
    public long size() {
        return ItemSize.of(this);
    }
}
