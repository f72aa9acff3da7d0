package io.jormundb.engine.catalog;

/** A key attribute of a table: its name and scalar type ({@code S}, {@code N} or {@code B}). */
public record KeyAttribute(String name, String type) {
    public KeyAttribute {
        if (!type.equals("S") && !type.equals("N") && !type.equals("B")) {
            throw new IllegalArgumentException("key type must be S, N or B: " + type);
        }
    }
}
