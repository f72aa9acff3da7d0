package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.streams.json.KeyText;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.token.InvalidTokenException;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TableCursor;
import io.jormundb.streams.token.TokenCodec;

import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens {@link Feed}s: resolves the table, the key filter and the start position
 * ({@code now}, {@code trim_horizon} or a resume token), validating everything before the
 * caller commits to a response. Thread-safe.
 */
public final class Feeds {
    /** {@code since} value: only changes committed after the feed opens. */
    public static final String NOW = "now";
    /** {@code since} value: the oldest change still kept. */
    public static final String TRIM_HORIZON = "trim_horizon";

    private final Changelog changelog;
    private final LiveTail tail;

    public Feeds(Changelog changelog, LiveTail tail) {
        this.changelog = changelog;
        this.tail = tail;
    }

    /**
     * Opens a feed of one table ({@code tableName}) or of every table ({@code null}).
     *
     * @param since            {@link #NOW}, {@link #TRIM_HORIZON} or a resume token
     * @param partitionKeyText only changes of this partition key (key text), or {@code null}
     * @param sortKeyText      only changes of this sort key (with a partition key), or {@code null}
     * @throws DynamoException        ResourceNotFound for an unknown table, Validation for a bad key filter
     * @throws InvalidTokenException  for a malformed, tampered or foreign token
     * @throws TokenExpiredException  for a token older than retention
     */
    public Feed open(String tableName, String since, String partitionKeyText, String sortKeyText) {
        if (sortKeyText != null && partitionKeyText == null) {
            throw DynamoException.validation("sortKey needs partitionKey");
        }
        String from = since == null || since.isEmpty() ? NOW : since;
        if (tableName != null) {
            TableDefinition table = changelog.engine().catalog().require(tableName);
            String pk = partitionKeyText == null ? null : normalise(table.hashKey(), partitionKeyText);
            if (sortKeyText != null && table.rangeKey() == null) {
                throw DynamoException.validation("table " + tableName + " has no sort key");
            }
            String sk = sortKeyText == null ? null : normalise(table.rangeKey(), sortKeyText);
            int partition = pk == null ? -1
                    : Keys.changelogPartition(keyValue(table.hashKey(), pk), table.changelogPartitions());
            long[] start = tableStart(table, from);
            Map<TableDefinition, long[]> cursors = new LinkedHashMap<>();
            cursors.put(table, start);
            return new Feed(changelog, tail, table, table.id(), cursors, partition, pk, sk);
        }
        return openAll(from, partitionKeyText, sortKeyText);
    }

    private Feed openAll(String from, String pk, String sk) {
        Map<TableDefinition, long[]> cursors = new LinkedHashMap<>();
        long maxTableId = 0;
        Map<Long, TableCursor> fromToken = new HashMap<>();
        long tokenMax = Long.MAX_VALUE;
        boolean token = !from.equals(NOW) && !from.equals(TRIM_HORIZON);
        if (token) {
            ResumeToken decoded = TokenCodec.decode(from);
            if (!(decoded instanceof ResumeToken.AllTables all)) {
                throw new InvalidTokenException("this token is for a single table's feed (/changes/{table}), "
                        + "not for /changes");
            }
            fromToken.putAll(all.tables());
            tokenMax = all.maxTableId();
        }
        boolean expired = false;
        for (TableDefinition t : changelog.engine().catalog().all()) {
            maxTableId = Math.max(maxTableId, t.id());
            long[] start;
            if (!token) {
                start = from.equals(NOW) ? changelog.heads(t) : changelog.horizon(t);
            } else if (fromToken.containsKey(t.id())) {
                start = checked(t, fromToken.get(t.id()));
                expired |= isExpired(t, start);
            } else if (t.id() > tokenMax) {
                start = new long[t.changelogPartitions()];
                expired |= isExpired(t, start);
            } else {
                continue;
            }
            cursors.put(t, start);
        }
        if (expired) {
            Map<Long, TableCursor> horizon = new HashMap<>();
            for (TableDefinition t : cursors.keySet()) {
                horizon.put(t.id(), TableCursor.of(t.id(), t.creationTimeMillis(), changelog.horizon(t)));
            }
            throw new TokenExpiredException(TokenCodec.encode(new ResumeToken.AllTables(maxTableId, horizon)));
        }
        return new Feed(changelog, tail, null, token ? Math.max(tokenMax, 0) : maxTableId, cursors, -1, pk, sk);
    }

    private long[] tableStart(TableDefinition table, String from) {
        if (from.equals(NOW)) {
            return changelog.heads(table);
        }
        if (from.equals(TRIM_HORIZON)) {
            return changelog.horizon(table);
        }
        TableCursor cursor = switch (TokenCodec.decode(from)) {
            case ResumeToken.Table t -> t.cursor();
            case ResumeToken.AllTables all -> {
                TableCursor c = all.tables().get(table.id());
                if (c == null && table.id() > all.maxTableId()) {
                    // Created after the position, so read from its start, as the all-tables feed does.
                    c = TableCursor.of(table.id(), table.creationTimeMillis(), new long[table.changelogPartitions()]);
                } else if (c == null) {
                    throw new InvalidTokenException("this all-tables token has no position in table " + table.name());
                }
                yield c;
            }
        };
        long[] start = checked(table, cursor);
        if (isExpired(table, start)) {
            throw new TokenExpiredException(
                    TokenCodec.encodeTable(table.id(), table.creationTimeMillis(), changelog.horizon(table)));
        }
        return start;
    }

    /** The cursor's position, if it really is a position in this incarnation of the table. */
    private long[] checked(TableDefinition table, TableCursor cursor) {
        if (cursor.tableId() != table.id() || cursor.tableCreatedMillis() != table.creationTimeMillis()) {
            throw new InvalidTokenException("resume token belongs to another table, or to an earlier table named "
                    + table.name() + " that was deleted");
        }
        long[] position = cursor.toArray();
        if (position.length != table.changelogPartitions()) {
            throw new InvalidTokenException("resume token has " + position.length + " partitions; table "
                    + table.name() + " has " + table.changelogPartitions());
        }
        long[] heads = changelog.heads(table);
        for (int p = 0; p < position.length; p++) {
            if (position[p] > heads[p]) {
                throw new InvalidTokenException("resume token points past the end of the changelog of " + table.name());
            }
        }
        return position;
    }

    private boolean isExpired(TableDefinition table, long[] position) {
        long[] horizon = changelog.horizon(table);
        for (int p = 0; p < position.length; p++) {
            if (position[p] < horizon[p]) {
                return true;
            }
        }
        return false;
    }

    /** The key text in normal form ({@code 7.0} is {@code 7}), or a ValidationException. */
    private static String normalise(KeyAttribute key, String text) {
        return KeyText.of(keyValue(key, text));
    }

    private static AttributeValue keyValue(KeyAttribute key, String text) {
        return switch (key.type()) {
            case "S" -> new AttributeValue.S(text);
            case "N" -> AttributeValue.N.parse(text);
            default -> {
                try {
                    yield new AttributeValue.B(Bytes.wrap(Base64.getUrlDecoder().decode(text)));
                } catch (IllegalArgumentException e) {
                    throw DynamoException.validation("key " + key.name() + " is binary: give it as base64url");
                }
            }
        };
    }
}
