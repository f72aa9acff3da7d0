package io.jormundb.engine.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The key attributes of a table or a secondary index: one or more partition (HASH) attributes and
 * zero or more sort (RANGE) attributes, each in schema order. A table and a local secondary index
 * have one of each at most; a global secondary index may have up to four of each (DynamoDB's
 * multi-attribute keys), whose values together form its partition key and its sort key.
 */
public record KeySchema(List<KeyAttribute> hash, List<KeyAttribute> range) {
    public KeySchema {
        hash = List.copyOf(hash);
        range = List.copyOf(range);
        if (hash.isEmpty()) {
            throw new IllegalArgumentException("a key schema needs a partition key");
        }
    }

    /** A schema of one partition key and an optional sort key ({@code null} for none). */
    public static KeySchema of(KeyAttribute hashKey, KeyAttribute rangeKey) {
        return new KeySchema(List.of(hashKey), rangeKey == null ? List.of() : List.of(rangeKey));
    }

    /** Every key attribute, partition attributes first, each part in schema order. */
    public List<KeyAttribute> attributes() {
        List<KeyAttribute> all = new ArrayList<>(hash);
        all.addAll(range);
        return all;
    }

    /** The names of {@link #attributes()}. */
    public List<String> names() {
        return attributes().stream().map(KeyAttribute::name).toList();
    }
}
