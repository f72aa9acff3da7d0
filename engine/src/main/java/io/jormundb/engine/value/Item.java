package io.jormundb.engine.value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An item: attribute names to values, immutable, in the order its attributes were given. Its
 * DynamoDB size is computed once, when first asked (a write asks several times: the size limit,
 * the table's size, the change record's size, index sizes).
 */
public final class Item {
    public static final Item EMPTY = new Item(Map.of());

    private final Map<String, AttributeValue> attributes;
    /**
     * {@link ItemSize#of} once computed, else -1; an int (whose writes are atomic) because no item
     * a request can carry comes near 2 GB. A race computes it twice, to the same value.
     */
    private int size = -1;

    public Item(Map<String, AttributeValue> attributes) {
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public Map<String, AttributeValue> attributes() {
        return attributes;
    }

    public AttributeValue get(String name) {
        return attributes.get(name);
    }

    public boolean isEmpty() {
        return attributes.isEmpty();
    }

    /** DynamoDB's size of this item in bytes (see {@link ItemSize}). */
    public long size() {
        int s = size;
        if (s < 0) {
            s = Math.toIntExact(ItemSize.of(this));
            size = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Item other && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return attributes.hashCode();
    }

    @Override
    public String toString() {
        return "Item[attributes=" + attributes + "]";
    }
}
