package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.streams.json.ChangeJson;
import io.jormundb.streams.json.KeyText;

/**
 * A change record prepared for delivery: its JSON encoded once (around the reader's token) and
 * its key text for filters and topics. Shared, immutable, by every reader it reaches.
 */
public final class ChangeEvent {
    private final ChangeRecord record;
    private final ChangeJson.Encoded json;
    private final String partitionKeyText;
    private final String sortKeyText;

    public ChangeEvent(TableDefinition table, ChangeRecord record) {
        this.record = record;
        this.json = ChangeJson.encode(record);
        this.partitionKeyText = KeyText.of(record.keys().get(table.hashKey().name()));
        this.sortKeyText = table.rangeKey() == null ? null : KeyText.of(record.keys().get(table.rangeKey().name()));
    }

    public ChangeRecord record() {
        return record;
    }

    public long tableId() {
        return record.tableId();
    }

    public int partition() {
        return record.partition();
    }

    public long sequence() {
        return record.sequence();
    }

    /** The partition key as key text. */
    public String partitionKeyText() {
        return partitionKeyText;
    }

    /** The sort key as key text, or {@code null} for a table without one. */
    public String sortKeyText() {
        return sortKeyText;
    }

    /** The record's JSON with {@code token} in its {@code token} field. */
    public byte[] json(String token) {
        return json.with(token);
    }
}
