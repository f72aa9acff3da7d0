package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.json.ChangeJson;
import io.jormundb.streams.json.KeyText;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TokenCodec;

/**
 * A change record prepared for delivery: the resume token of its position (valid for every feed),
 * its JSON encoded once with that token (when a reader first needs it), and its key text for
 * filters and topics. Shared by every reader it reaches.
 */
public final class ChangeEvent {
    private final TableDefinition table;
    private final ChangeRecord record;
    private final String token;
    /** {@link #json()} once encoded; a race encodes it twice, to the same bytes. */
    private volatile byte[] json;
    private final String partitionKeyText;
    private final String sortKeyText;
    /** {@link #tableToken()} once computed; a race computes it twice, to the same string. */
    private String tableToken;

    public ChangeEvent(TableDefinition table, ChangeRecord record) {
        this.table = table;
        this.record = record;
        this.token = TokenCodec.encode(new ResumeToken.AllTables(record.position()));
        this.partitionKeyText = KeyText.of(record.keys().get(table.hashKey().name()));
        this.sortKeyText = table.rangeKey() == null ? null : KeyText.of(record.keys().get(table.rangeKey().name()));
    }

    public TableDefinition table() {
        return table;
    }

    public ChangeRecord record() {
        return record;
    }

    public Position position() {
        return record.position();
    }

    /** The resume token of this event's position, the one in its JSON: every feed resumes just after it. */
    public String token() {
        return token;
    }

    /**
     * The resume token of this event's position bound to its table, which every feed of that table
     * sends with it: computed once, however many subscribers the table has.
     */
    public String tableToken() {
        String t = tableToken;
        if (t == null) {
            t = TokenCodec.encode(new ResumeToken.Table(table.id(), table.creationTimeMillis(), record.position()));
            tableToken = t;
        }
        return t;
    }

    /**
     * The record's JSON (the same bytes for every reader), encoded when first asked for — never
     * when no reader needs it; do not modify it.
     */
    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            j = ChangeJson.encode(record, token);
            json = j;
        }
        return j;
    }

    /** The partition key as key text. */
    public String partitionKeyText() {
        return partitionKeyText;
    }

    /** The sort key as key text, or {@code null} for a table without one. */
    public String sortKeyText() {
        return sortKeyText;
    }
}
