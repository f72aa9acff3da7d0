package io.jormundb.engine.changelog;

/**
 * A position in the changelog: record {@code index} of commit version {@code version} (DESIGN:
 * "The changelog"). Every record has a unique position and positions are totally ordered, by
 * version, then index, across every table and partition. {@link #START} lies before every record
 * (versions start at 1). A reader's position means "everything up to and including this one".
 *
 * <p>The Streams API writes a position as its {@link #sequenceNumber()}: the decimal of
 * {@code version × 10^6 + index}, zero-padded to at least 21 digits: (912, 3) is
 * {@code 000000000000912000003}. Its numeric and its text order are the
 * order of positions, and one commit holds at most {@link #MAX_INDEX}{@code + 1} records.
 */
public record Position(long version, int index) implements Comparable<Position> {
    /** Before every record. */
    public static final Position START = new Position(0, 0);
    /** The highest record index of one commit (DynamoDB's largest write, a transaction, has 100 items). */
    public static final int MAX_INDEX = 999_999;
    private static final int MIN_SEQUENCE_DIGITS = 21;
    private static final int INDEX_DIGITS = 6;

    public Position {
        if (version < 0 || index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("no such changelog position: (" + version + ", " + index + ")");
        }
    }

    @Override
    public int compareTo(Position other) {
        int byVersion = Long.compare(version, other.version);
        return byVersion != 0 ? byVersion : Integer.compare(index, other.index);
    }

    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }

    /** The later of two positions. */
    public static Position max(Position a, Position b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The position just after this one in the same commit (an exclusive bound for ranges). */
    public Position next() {
        return index < MAX_INDEX ? new Position(version, index + 1) : new Position(version + 1, 0);
    }

    /**
     * The position just before this one: the last index of the previous version when this one is
     * the first of its version ({@link #START} has none).
     */
    public Position previous() {
        if (index > 0) {
            return new Position(version, index - 1);
        }
        if (version == 0) {
            throw new IllegalStateException("no position lies before " + this);
        }
        return new Position(version - 1, MAX_INDEX);
    }

    /** The Streams API SequenceNumber of this position (see the class comment). */
    public String sequenceNumber() {
        // No String.format: this runs for every change record a feed encodes.
        String indexDigits = Integer.toString(index);
        String versionDigits = Long.toString(version);
        int length = versionDigits.length() + INDEX_DIGITS;
        StringBuilder b = new StringBuilder(Math.max(length, MIN_SEQUENCE_DIGITS));
        b.repeat('0', Math.max(0, MIN_SEQUENCE_DIGITS - length)).append(versionDigits)
                .repeat('0', INDEX_DIGITS - indexDigits.length()).append(indexDigits);
        return b.toString();
    }

    /**
     * The position a Streams API SequenceNumber names.
     *
     * @throws IllegalArgumentException when {@code text} is not one ({@link #sequenceNumber} gives)
     */
    public static Position ofSequenceNumber(String text) {
        if (text == null || text.length() < MIN_SEQUENCE_DIGITS || text.length() > 40 || !text.chars().allMatch(
                c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a sequence number: " + text);
        }
        String versionDigits = text.substring(0, text.length() - INDEX_DIGITS).replaceFirst("^0+(?=.)", "");
        if (versionDigits.length() > 19) {
            throw new IllegalArgumentException("sequence number out of range: " + text);
        }
        long version = Long.parseLong(versionDigits);
        if (version < 0) {
            throw new IllegalArgumentException("sequence number out of range: " + text);
        }
        return new Position(version, Integer.parseInt(text.substring(text.length() - INDEX_DIGITS)));
    }

    @Override
    public String toString() {
        return "(" + version + ", " + index + ")";
    }
}
