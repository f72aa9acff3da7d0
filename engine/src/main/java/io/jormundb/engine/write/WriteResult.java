package io.jormundb.engine.write;

import io.jormundb.engine.value.Item;

import java.util.Objects;

/**
 * What a {@link Mutation} did: the item before and after ({@code null} for absent), and whether
 * they differ — compared once, when the result is made, not by every step of the write that asks.
 */
public record WriteResult(Item oldItem, Item newItem, boolean changed) {
    public WriteResult(Item oldItem, Item newItem) {
        this(oldItem, newItem, !Objects.equals(oldItem, newItem));
    }
}
