package io.jormundb.engine.write;

import io.jormundb.engine.value.Item;

import java.util.Objects;

/** What a {@link Mutation} did: the item before and after ({@code null} for absent). */
public record WriteResult(Item oldItem, Item newItem) {
    public boolean changed() {
        return !Objects.equals(oldItem, newItem);
    }
}
