package io.jormundb.engine.items;

import io.jormundb.engine.value.Item;

import java.util.List;

/**
 * One page of a Query or Scan.
 *
 * @param items            the matching items, projected (empty for Select COUNT)
 * @param count            items that passed the filter
 * @param scannedCount     items read before the filter
 * @param lastEvaluatedKey key of the last item read when the page stopped at its limit or the
 *                         1 MB cap, else {@code null}
 * @param bytesRead        total size of the items read, for capacity units
 */
public record Page(List<Item> items, int count, int scannedCount, Item lastEvaluatedKey, long bytesRead) {
    public Page {
        items = List.copyOf(items);
    }
}
