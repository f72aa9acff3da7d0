package io.jormundb.engine.codec;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.value.Numbers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stored form of items and attribute values: tag-length-value, never JSON text.
 * <pre>
 *   item   := FORMAT_V1 varint(count) (string(name) value)*
 *   value  := S string | N number | B bytes | TRUE | FALSE | NULL
 *           | L varint(count) value* | M varint(count) (string(name) value)*
 *           | SS varint(count) string* | NS varint(count) number* | BS varint(count) bytes*
 *   string := varint(length) utf8      bytes := varint(length) raw
 *   number := zigzag-varint(scale) bytes(two's-complement unscaled value)
 * </pre>
 * For example {@code {"id": S "a"}} is {@code 01 01 02 69 64 01 01 61}.
 *
 * <p>Decoding trusts nothing: bytes that do not decode to a valid item (truncated, an unknown
 * tag, trailing bytes, an empty set, a name or set member stored twice, a number outside
 * DynamoDB's range, invalid UTF-8, nesting
 * deeper than {@link #MAX_DEPTH}) raise {@link CorruptDataException} and nothing else.
 */
public final class ItemCodec {
    static final int FORMAT_V1 = 0x01;
    /** What {@link #encode} writes before an item's attributes (its format byte). */
    public static final int HEADER_BYTES = 1;

    static final int TAG_S = 0x01;
    static final int TAG_N = 0x02;
    static final int TAG_B = 0x03;
    static final int TAG_TRUE = 0x04;
    static final int TAG_FALSE = 0x05;
    static final int TAG_NULL = 0x06;
    static final int TAG_L = 0x07;
    static final int TAG_M = 0x08;
    static final int TAG_SS = 0x09;
    static final int TAG_NS = 0x0A;
    static final int TAG_BS = 0x0B;

    /**
     * Deepest nesting the codec writes or reads; a top-level attribute value is level 1. DynamoDB
     * allows 32 levels, so valid items never come near it; the bound keeps a damaged count from
     * recursing the stack away.
     */
    static final int MAX_DEPTH = 64;

    private ItemCodec() {
    }

    public static byte[] encode(Item item) {
        ByteWriter out = new ByteWriter(128);
        out.write(FORMAT_V1);
        writeAttributes(item.attributes(), out);
        return out.toByteArray();
    }

    public static Item decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int format = in.read();
        if (format != FORMAT_V1) {
            throw new CorruptDataException("unknown item format " + format);
        }
        Item item = new Item(readAttributes(in));
        if (in.hasRemaining()) {
            throw new CorruptDataException("trailing bytes after item at byte " + in.position());
        }
        return item;
    }

    /** Writes an item's attributes without the format byte, for records that embed items. */
    public static void writeAttributes(Map<String, AttributeValue> attributes, ByteWriter out) {
        writeAttributes(attributes, out, 1);
    }

    public static Map<String, AttributeValue> readAttributes(ByteReader in) {
        return readAttributes(in, 1);
    }

    public static void writeValue(AttributeValue value, ByteWriter out) {
        writeValue(value, out, 1);
    }

    public static AttributeValue readValue(ByteReader in) {
        return readValue(in, 1);
    }

    private static void writeAttributes(Map<String, AttributeValue> attributes, ByteWriter out, int depth) {
        out.writeVarInt(attributes.size());
        for (Map.Entry<String, AttributeValue> e : attributes.entrySet()) {
            out.writeString(e.getKey());
            writeValue(e.getValue(), out, depth);
        }
    }

    private static Map<String, AttributeValue> readAttributes(ByteReader in, int depth) {
        int count = in.readVarInt();
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            if (attributes.put(name, readValue(in, depth)) != null) {
                throw new CorruptDataException("attribute name " + name + " stored twice at byte " + in.position());
            }
        }
        return attributes;
    }

    private static void writeValue(AttributeValue value, ByteWriter out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (value) {
            case AttributeValue.S s -> out.write(TAG_S).writeString(s.value());
            case AttributeValue.N n -> writeNumber(n.value(), out.write(TAG_N));
            case AttributeValue.B b -> out.write(TAG_B).writeBytes(b.value().toArray());
            case AttributeValue.BOOL bool -> out.write(bool.value() ? TAG_TRUE : TAG_FALSE);
            case AttributeValue.NULL ignored -> out.write(TAG_NULL);
            case AttributeValue.L l -> {
                out.write(TAG_L).writeVarInt(l.values().size());
                for (AttributeValue v : l.values()) {
                    writeValue(v, out, depth + 1);
                }
            }
            case AttributeValue.M m -> writeAttributes(m.values(), out.write(TAG_M), depth + 1);
            case AttributeValue.SS ss -> {
                out.write(TAG_SS).writeVarInt(ss.values().size());
                for (String s : ss.values()) {
                    out.writeString(s);
                }
            }
            case AttributeValue.NS ns -> {
                out.write(TAG_NS).writeVarInt(ns.values().size());
                for (BigDecimal n : ns.values()) {
                    writeNumber(n, out);
                }
            }
            case AttributeValue.BS bs -> {
                out.write(TAG_BS).writeVarInt(bs.values().size());
                for (Bytes b : bs.values()) {
                    out.writeBytes(b.toArray());
                }
            }
        }
    }

    private static AttributeValue readValue(ByteReader in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CorruptDataException(
                    "value nested deeper than " + MAX_DEPTH + " levels at byte " + in.position());
        }
        int tag = in.read();
        return switch (tag) {
            case TAG_S -> new AttributeValue.S(in.readString());
            case TAG_N -> new AttributeValue.N(readNumber(in));
            case TAG_B -> new AttributeValue.B(Bytes.wrap(in.readBytes()));
            case TAG_TRUE -> AttributeValue.BOOL.TRUE;
            case TAG_FALSE -> AttributeValue.BOOL.FALSE;
            case TAG_NULL -> AttributeValue.NULL.INSTANCE;
            case TAG_L -> {
                int count = in.readVarInt();
                List<AttributeValue> values = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    values.add(readValue(in, depth + 1));
                }
                yield new AttributeValue.L(values);
            }
            case TAG_M -> new AttributeValue.M(readAttributes(in, depth + 1));
            case TAG_SS -> {
                int count = setCount(in);
                Set<String> values = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    unique(values.add(in.readString()), in);
                }
                yield new AttributeValue.SS(values);
            }
            case TAG_NS -> {
                int count = setCount(in);
                Set<BigDecimal> values = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    unique(values.add(readNumber(in)), in);
                }
                yield new AttributeValue.NS(values);
            }
            case TAG_BS -> {
                int count = setCount(in);
                Set<Bytes> values = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    unique(values.add(Bytes.wrap(in.readBytes())), in);
                }
                yield new AttributeValue.BS(values);
            }
            default -> throw new CorruptDataException("unknown value tag " + tag);
        };
    }

    private static void writeNumber(BigDecimal n, ByteWriter out) {
        int scale = n.scale();
        out.writeVarInt((scale << 1) ^ (scale >> 31));
        out.writeBytes(n.unscaledValue().toByteArray());
    }

    private static BigDecimal readNumber(ByteReader in) {
        int zigzag = in.readVarInt();
        int scale = (zigzag >>> 1) ^ -(zigzag & 1);
        byte[] unscaled = in.readBytes();
        if (unscaled.length == 0) {
            throw new CorruptDataException("empty number at byte " + in.position());
        }
        try {
            return Numbers.checked(new BigDecimal(new BigInteger(unscaled), scale));
        } catch (DynamoException e) {
            throw new CorruptDataException("stored number out of range: " + e.getMessage());
        }
    }

    /** Set members are distinct, so a repeated one is damage. */
    private static void unique(boolean added, ByteReader in) {
        if (!added) {
            throw new CorruptDataException("set member stored twice at byte " + in.position());
        }
    }

    /** Sets are never empty (DynamoDB forbids it), so a zero count is damage. */
    private static int setCount(ByteReader in) {
        int count = in.readVarInt();
        if (count == 0) {
            throw new CorruptDataException("empty set at byte " + in.position());
        }
        return count;
    }
}
