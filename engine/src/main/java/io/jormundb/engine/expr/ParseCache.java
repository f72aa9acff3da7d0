package io.jormundb.engine.expr;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Parsed (and statically checked) expression trees by kind and text, so a request that repeats an
 * expression skips the parser. Bounded: when full, an arbitrary quarter of the entries is dropped.
 * Only successful parses are kept; an expression that fails is parsed again each time. Trees are
 * immutable, so sharing them between threads is safe.
 */
final class ParseCache {
    private record Key(ExpressionKind kind, String text) {
    }

    private final int capacity;
    private final ConcurrentHashMap<Key, Object> trees = new ConcurrentHashMap<>();

    ParseCache(int capacity) {
        this.capacity = capacity;
    }

    <T> T get(ExpressionKind kind, String text, Class<T> type, Supplier<T> parse) {
        Key key = new Key(kind, text);
        Object tree = trees.get(key);
        if (tree == null) {
            tree = parse.get();
            if (trees.size() >= capacity) {
                evict();
            }
            trees.put(key, tree);
        }
        return type.cast(tree);
    }

    int size() {
        return trees.size();
    }

    private void evict() {
        int toDrop = Math.max(1, capacity / 4);
        Iterator<Key> keys = trees.keySet().iterator();
        while (toDrop-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
