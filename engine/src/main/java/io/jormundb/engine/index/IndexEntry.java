package io.jormundb.engine.index;

import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;

/** An item's entry in one secondary index: its INDEX key and the projected item stored under it. */
public record IndexEntry(Bytes key, Item value) {
    public byte[] keyBytes() {
        return key.toArray();
    }
}
