package io.jormundb.engine.codec;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;

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
 */
public final class ItemCodec {
    static final int FORMAT_V1 = 0x01;

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
        return new Item(readAttributes(in));
    }

    /** Writes an item's attributes without the format byte, for records that embed items. */
    public static void writeAttributes(Map<String, AttributeValue> attributes, ByteWriter out) {
        out.writeVarInt(attributes.size());
        for (Map.Entry<String, AttributeValue> e : attributes.entrySet()) {
            out.writeString(e.getKey());
            writeValue(e.getValue(), out);
        }
    }

    public static Map<String, AttributeValue> readAttributes(ByteReader in) {
        int count = in.readVarInt();
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            attributes.put(name, readValue(in));
        }
        return attributes;
    }

    public static void writeValue(AttributeValue value, ByteWriter out) {
        switch (value) {
            case AttributeValue.S s -> out.write(TAG_S).writeString(s.value());
            case AttributeValue.N n -> writeNumber(n.value(), out.write(TAG_N));
            case AttributeValue.B b -> out.write(TAG_B).writeBytes(b.value().toArray());
            case AttributeValue.BOOL bool -> out.write(bool.value() ? TAG_TRUE : TAG_FALSE);
            case AttributeValue.NULL ignored -> out.write(TAG_NULL);
            case AttributeValue.L l -> {
                out.write(TAG_L).writeVarInt(l.values().size());
                for (AttributeValue v : l.values()) {
                    writeValue(v, out);
                }
            }
            case AttributeValue.M m -> writeAttributes(m.values(), out.write(TAG_M));
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

    public static AttributeValue readValue(ByteReader in) {
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
                    values.add(readValue(in));
                }
                yield new AttributeValue.L(values);
            }
            case TAG_M -> new AttributeValue.M(readAttributes(in));
            case TAG_SS -> {
                int count = in.readVarInt();
                Set<String> values = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    values.add(in.readString());
                }
                yield new AttributeValue.SS(values);
            }
            case TAG_NS -> {
                int count = in.readVarInt();
                Set<BigDecimal> values = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    values.add(readNumber(in));
                }
                yield new AttributeValue.NS(values);
            }
            case TAG_BS -> {
                int count = in.readVarInt();
                Set<Bytes> values = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    values.add(Bytes.wrap(in.readBytes()));
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
        return new BigDecimal(new BigInteger(in.readBytes()), scale);
    }
}
