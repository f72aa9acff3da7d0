package io.jormundb.engine.catalog;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes a secondary index holds of each item: the key attributes of the table and of the
 * index always, then nothing more (KEYS_ONLY), the named non-key attributes (INCLUDE) or the whole
 * item (ALL).
 *
 * @param nonKeyAttributes the INCLUDE list, in request order; empty for ALL and KEYS_ONLY
 */
public record IndexProjection(ProjectionType type, List<String> nonKeyAttributes) {
    public static final IndexProjection ALL = new IndexProjection(ProjectionType.ALL, List.of());
    public static final IndexProjection KEYS_ONLY = new IndexProjection(ProjectionType.KEYS_ONLY, List.of());

    public IndexProjection {
        nonKeyAttributes = List.copyOf(nonKeyAttributes);
        if ((type == ProjectionType.INCLUDE) == nonKeyAttributes.isEmpty()) {
            throw new IllegalArgumentException("NonKeyAttributes go with INCLUDE, and only with it");
        }
    }

    /** The part of {@code item} this projection keeps, given every key attribute name it always keeps. */
    public Item apply(Item item, Collection<String> keyAttributes) {
        if (type == ProjectionType.ALL) {
            return item;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
            if (keyAttributes.contains(e.getKey()) || nonKeyAttributes.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return new Item(out);
    }

    /** Those of {@code attributes} an index with these key attributes does not hold, in name order. */
    public List<String> missing(Collection<String> attributes, Collection<String> keyAttributes) {
        if (type == ProjectionType.ALL) {
            return List.of();
        }
        return attributes.stream().filter(a -> !keyAttributes.contains(a) && !nonKeyAttributes.contains(a))
                .distinct().sorted().toList();
    }
}
