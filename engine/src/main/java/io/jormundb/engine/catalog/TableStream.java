package io.jormundb.engine.catalog;

import io.jormundb.engine.changelog.Position;

/**
 * One DynamoDB Stream of a table: what enabling it once made, kept in the table's definition
 * (and in its retired definition after DeleteTable) while the Streams API may still show it.
 * Re-enabling a table's stream makes a new one; the old one stays readable until retention ends.
 *
 * <p>A stream shows exactly the table's changes at positions in {@code [enabledAt, disabledAt)}.
 * Both bounds are commit boundaries: positions {@code (v, 0)} of a version {@code v} that the
 * write path took with every changelog partition lock of the table held, so every change of the
 * table committed before lies below the bound and every later one above it. No change record
 * has a bound's position (an enabling or disabling version appends nothing; a deletion's
 * version appends only its table-deleted entry).
 *
 * @param enabledMillis  when it was enabled; its label (and so its ARN) is this instant, unique
 *                       among the streams of every table of one name
 * @param disabledMillis when it was disabled (0 while it is enabled)
 * @param disabledAt     where it was disabled, or {@code null} while it is enabled
 */
public record TableStream(StreamViewType viewType, long enabledMillis, Position enabledAt, long disabledMillis,
                          Position disabledAt) {
    public TableStream {
        if (viewType == null || enabledAt == null) {
            throw new IllegalArgumentException("a stream has a view type and an enabling position");
        }
        if (disabledAt != null && !disabledAt.isAfter(enabledAt)) {
            throw new IllegalArgumentException("a stream is disabled after it was enabled: " + enabledAt + " .. "
                    + disabledAt);
        }
    }

    /** A stream enabled at {@code at}. */
    public static TableStream enabled(StreamViewType viewType, long millis, Position at) {
        return new TableStream(viewType, millis, at, 0, null);
    }

    public boolean isEnabled() {
        return disabledAt == null;
    }

    /** This stream, disabled at {@code at}. */
    public TableStream disabled(long millis, Position at) {
        if (!isEnabled()) {
            throw new IllegalStateException("stream enabled at " + enabledMillis + " is disabled already");
        }
        return new TableStream(viewType, enabledMillis, enabledAt, millis, at);
    }

    /** Whether a change of the table at {@code position} belongs to this stream. */
    public boolean covers(Position position) {
        return position.compareTo(enabledAt) >= 0 && (disabledAt == null || position.compareTo(disabledAt) < 0);
    }
}
