package io.jormundb.engine.value;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Item size the way DynamoDB computes it for its 400 KB limit and for capacity units: the UTF-8
 * length of every attribute name plus the size of its value, where a string is its UTF-8 length,
 * a binary its raw length, a number one byte per two significant digits plus one, a boolean or
 * null one byte, and a list or map three bytes plus one byte and the size of each element.
 */
public final class ItemSize {
    /** DynamoDB's item size limit: 400 KB. */
    public static final long MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {
    }

    public static long of(Item item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
            size += utf8Length(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    /** The size of a value, without the name of the attribute that holds it. */
    public static long of(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> utf8Length(s.value());
            case AttributeValue.N n -> numberSize(n.value());
            case AttributeValue.B b -> b.value().length();
            case AttributeValue.BOOL ignored -> 1;
            case AttributeValue.NULL ignored -> 1;
            case AttributeValue.L l -> {
                long size = 3;
                for (AttributeValue v : l.values()) {
                    size += 1 + of(v);
                }
                yield size;
            }
            case AttributeValue.M m -> {
                long size = 3;
                for (Map.Entry<String, AttributeValue> e : m.values().entrySet()) {
                    size += 1 + utf8Length(e.getKey()) + of(e.getValue());
                }
                yield size;
            }
            case AttributeValue.SS ss -> {
                long size = 0;
                for (String s : ss.values()) {
                    size += utf8Length(s);
                }
                yield size;
            }
            case AttributeValue.NS ns -> {
                long size = 0;
                for (BigDecimal n : ns.values()) {
                    size += numberSize(n);
                }
                yield size;
            }
            case AttributeValue.BS bs -> {
                long size = 0;
                for (Bytes b : bs.values()) {
                    size += b.length();
                }
                yield size;
            }
        };
    }

    private static long numberSize(BigDecimal normal) {
        // A normal number has no trailing zeros: its precision is its count of significant digits.
        int digits = normal.signum() == 0 ? 1 : normal.precision();
        return (digits + 1) / 2 + 1;
    }

    public static int utf8Length(String s) {
        // Most text is ASCII: a tight loop over it first, one byte per character.
        int ascii = 0;
        while (ascii < s.length() && s.charAt(ascii) < 0x80) {
            ascii++;
        }
        int length = ascii;
        for (int i = ascii; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

}
