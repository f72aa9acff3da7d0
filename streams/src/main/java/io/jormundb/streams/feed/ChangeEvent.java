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
    // Each computed when a reader first asks for it — never when none does (an MQTT publisher with
    // nobody to send to) — and then kept; a race computes one twice, to the same value. Strings
    // are safe to share so; the JSON's array is volatile.
    private String token;
    private String tableToken;
    private volatile byte[] json;
    private String partitionKeyText;
    private String sortKeyText;

    public ChangeEvent(TableDefinition table, ChangeRecord record) {
        this.table = table;
        this.record = record;
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
        String t = token;
        if (t == null) {
            t = TokenCodec.encode(new ResumeToken.AllTables(record.position()));
            token = t;
        }
        return t;
    }

    /**
     * The resume token of this event's position bound to its table, which every feed of that table
     * sends with it: encoded once, however many subscribers the table has.
     */
    public String tableToken() {
        String t = tableToken;
        if (t == null) {
            t = TokenCodec.encode(new ResumeToken.Table(table.id(), table.creationTimeMillis(), record.position()));
            tableToken = t;
        }
        return t;
    }

    /** The record's JSON (the same bytes for every reader), carrying {@link #token()}; do not modify it. */
    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            j = ChangeJson.encode(record, token());
            json = j;
        }
        return j;
    }

    /** The partition key as key text. */
    public String partitionKeyText() {
        String t = partitionKeyText;
        if (t == null) {
            t = KeyText.of(record.keys().get(table.hashKey().name()));
            partitionKeyText = t;
        }
        return t;
    }

    /** The sort key as key text, or {@code null} for a table without one. */
    public String sortKeyText() {
        String t = sortKeyText;
        if (t == null && table.rangeKey() != null) {
            t = KeyText.of(record.keys().get(table.rangeKey().name()));
            sortKeyText = t;
        }
        return t;
    }
}
