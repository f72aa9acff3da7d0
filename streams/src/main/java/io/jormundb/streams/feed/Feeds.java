package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.streams.json.KeyText;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.KeyFilter;
import io.jormundb.streams.log.Scope;
import io.jormundb.streams.token.InvalidTokenException;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TokenCodec;

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
    private final boolean follower;

    public Feeds(Changelog changelog, LiveTail tail) {
        this(changelog, tail, false);
    }

    /**
     * @param follower feeds of a follower, which accept a token of a position they have not
     *                 reached yet (its leader's, a replication lag ahead): the feed starts there
     *                 and delivers what comes after it once the follower has caught up. A leader
     *                 refuses such a token: nothing can be after its own end.
     */
    public Feeds(Changelog changelog, LiveTail tail, boolean follower) {
        this.changelog = changelog;
        this.tail = tail;
        this.follower = follower;
    }

    /**
     * Opens a feed of one table ({@code tableName}) or of every table ({@code null}).
     *
     * @param since            {@link #NOW}, {@link #TRIM_HORIZON} or a resume token (any feed's)
     * @param partitionKeyText only changes of this partition key (key text), or {@code null}
     * @param sortKeyText      only changes of this sort key (with a partition key), or {@code null}
     * @throws DynamoException        ResourceNotFound for an unknown table, Validation for a bad key filter
     * @throws InvalidTokenException  for a malformed or tampered token, or one of another table
     * @throws TokenExpiredException  when a record this feed would deliver after the token was trimmed
     */
    public Feed open(String tableName, String since, String partitionKeyText, String sortKeyText) {
        if (sortKeyText != null && partitionKeyText == null) {
            throw DynamoException.validation("sortKey needs partitionKey");
        }
        Scope scope = tableName == null ? allTables(partitionKeyText, sortKeyText)
                : table(changelog.engine().catalog().require(tableName), partitionKeyText, sortKeyText);
        return new Feed(changelog, tail, scope, start(scope, since == null || since.isEmpty() ? NOW : since));
    }

    private static Scope allTables(String partitionKeyText, String sortKeyText) {
        if ("".equals(partitionKeyText) || "".equals(sortKeyText)) {
            throw DynamoException.validation("a key filter cannot be empty: no item has an empty key value");
        }
        return new Scope.AllTables(partitionKeyText == null ? null : new KeyFilter(partitionKeyText, sortKeyText));
    }

    /** A table's scope; a key filter narrows it to the changelog partition of the partition key. */
    private static Scope table(TableDefinition table, String partitionKeyText, String sortKeyText) {
        if (partitionKeyText == null) {
            return new Scope.Table(table, -1, null);
        }
        AttributeValue pk = KeyText.parse(table.hashKey(), partitionKeyText);
        if (sortKeyText != null && table.rangeKey() == null) {
            throw DynamoException.validation("table " + table.name() + " has no sort key");
        }
        String sk = sortKeyText == null ? null : KeyText.of(KeyText.parse(table.rangeKey(), sortKeyText));
        return new Scope.Table(table, Keys.changelogPartition(pk, table.changelogPartitions()),
                new KeyFilter(KeyText.of(pk), sk));
    }

    private Position start(Scope scope, String since) {
        if (since.equals(NOW)) {
            return changelog.head();
        }
        if (since.equals(TRIM_HORIZON)) {
            return changelog.trimmed(scope);
        }
        ResumeToken token = TokenCodec.decode(since);
        if (token instanceof ResumeToken.Table t && scope instanceof Scope.Table s
                && (t.tableId() != s.table().id() || t.tableCreatedMillis() != s.table().creationTimeMillis())) {
            throw new InvalidTokenException("resume token belongs to another table, or to an earlier table named "
                    + s.table().name() + " that was deleted");
        }
        Position position = token.position();
        if (!follower && position.isAfter(changelog.head())) {
            throw new InvalidTokenException("resume token points past the end of the changelog");
        }
        Position trimmed = changelog.trimmed(scope);
        if (trimmed.isAfter(position)) {
            throw new TokenExpiredException(Feed.token(scope, trimmed));
        }
        return position;
    }
}
