package io.jormundb.engine.write;

/** How many items something holds and their total size in bytes (DynamoDB's ItemCount and SizeBytes). */
public record Counts(long itemCount, long sizeBytes) {
    public static final Counts ZERO = new Counts(0, 0);

    public Counts plus(long items, long bytes) {
        return new Counts(itemCount + items, sizeBytes + bytes);
    }
}
