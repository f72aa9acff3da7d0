package io.jormundb.engine.catalog;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stores a {@link TableDefinition} as an item (with {@link ItemCodec}), so that new fields can
 * be added later without a format change: a reader ignores names it does not know and gives
 * absent optional ones their default. A retired table is the same item plus the position of its
 * deletion. A table's streams are a list of maps (view type, enabling time and position, and
 * for a disabled stream its disabling time and position); a definition written before streams
 * had a history ({@code streamView} and {@code streamEnabled}) reads as one enabled stream that
 * covers the whole changelog. Decoding trusts nothing: a missing required field, a field of the wrong type, an
 * unknown enum name or an impossible value raises {@link CorruptDataException} and nothing else.
 */
final class TableCodec {
    private TableCodec() {
    }

    static byte[] encode(TableDefinition t) {
        return ItemCodec.encode(new Item(attributes(t)));
    }

    static byte[] encodeRetired(RetiredTable retired) {
        Map<String, AttributeValue> a = attributes(retired.definition());
        a.put("deletedVersion", n(retired.deletedAt().version()));
        a.put("deletedIndex", n(retired.deletedAt().index()));
        return ItemCodec.encode(new Item(a));
    }

    static TableDefinition decode(byte[] bytes) {
        return definition(ItemCodec.decode(bytes));
    }

    static RetiredTable decodeRetired(byte[] bytes) {
        Item i = ItemCodec.decode(bytes);
        long version = num(i, "deletedVersion");
        long index = num(i, "deletedIndex");
        if (version < 1 || index < 0 || index > Position.MAX_INDEX) {
            throw new CorruptDataException("retired table with an impossible deletion position");
        }
        return new RetiredTable(definition(i), new Position(version, (int) index));
    }

    private static Map<String, AttributeValue> attributes(TableDefinition t) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        a.put("name", s(t.name()));
        a.put("id", n(t.id()));
        a.put("uuid", s(t.uuid()));
        a.put("created", n(t.creationTimeMillis()));
        a.put("hashName", s(t.hashKey().name()));
        a.put("hashType", s(t.hashKey().type()));
        if (t.rangeKey() != null) {
            a.put("rangeName", s(t.rangeKey().name()));
            a.put("rangeType", s(t.rangeKey().type()));
        }
        Map<String, AttributeValue> defs = new LinkedHashMap<>();
        // By name, so that equal definitions have equal bytes (the map's own order is unspecified).
        new TreeMap<>(t.attributeDefinitions()).forEach((name, type) -> defs.put(name, s(type)));
        a.put("attributes", new AttributeValue.M(defs));
        a.put("billing", s(t.billingMode().name()));
        a.put("rcu", n(t.readCapacityUnits()));
        a.put("wcu", n(t.writeCapacityUnits()));
        a.put("partitions", n(t.changelogPartitions()));
        if (!t.streams().isEmpty()) {
            List<AttributeValue> streams = new ArrayList<>();
            for (TableStream stream : t.streams()) {
                streams.add(new AttributeValue.M(stream(stream)));
            }
            a.put("streams", new AttributeValue.L(streams));
        }
        List<AttributeValue> tags = new ArrayList<>();
        for (TableDefinition.Tag tag : t.tags()) {
            tags.add(new AttributeValue.L(List.of(s(tag.key()), s(tag.value()))));
        }
        a.put("tags", new AttributeValue.L(tags));
        putIndexesAndTimeToLive(t, a);
        return a;
    }

    /**
     * Secondary indexes (issue 12) as {@code indexes}, a list of maps, and TTL as {@code ttlName}
     * and {@code ttlStatus}; a table without either has no fields for them, so its bytes are those
     * of a definition written before indexes existed.
     */
    private static void putIndexesAndTimeToLive(TableDefinition t, Map<String, AttributeValue> a) {
        if (!t.indexes().isEmpty()) {
            List<AttributeValue> indexes = new ArrayList<>();
            for (SecondaryIndex i : t.indexes()) {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                m.put("name", s(i.name()));
                m.put("id", n(i.id()));
                m.put("kind", s(i.kind().name()));
                m.put("hash", keyList(i.keySchema().hash()));
                m.put("range", keyList(i.keySchema().range()));
                m.put("projection", s(i.projection().type().name()));
                if (!i.projection().nonKeyAttributes().isEmpty()) {
                    m.put("include", new AttributeValue.L(i.projection().nonKeyAttributes().stream().map(TableCodec::s)
                            .toList()));
                }
                m.put("status", s(i.status().name()));
                m.put("rcu", n(i.readCapacityUnits()));
                m.put("wcu", n(i.writeCapacityUnits()));
                indexes.add(new AttributeValue.M(m));
            }
            a.put("indexes", new AttributeValue.L(indexes));
        }
        if (t.timeToLive() != null) {
            a.put("ttlName", s(t.timeToLive().attributeName()));
            a.put("ttlStatus", s(t.timeToLive().status().name()));
        }
        // Written only when set, so a table without them has the bytes it had before they existed.
        if (t.deletionProtection()) {
            a.put("deletionProtection", new AttributeValue.BOOL(true));
        }
        if (t.tableClass() != TableClass.STANDARD) {
            a.put("tableClass", s(t.tableClass().name()));
        }
    }

    private static AttributeValue keyList(List<KeyAttribute> keys) {
        List<AttributeValue> out = new ArrayList<>();
        for (KeyAttribute k : keys) {
            out.add(new AttributeValue.L(List.of(s(k.name()), s(k.type()))));
        }
        return new AttributeValue.L(out);
    }

    private static List<SecondaryIndex> indexes(Item i) {
        if (i.get("indexes") == null) {
            return List.of();
        }
        List<SecondaryIndex> out = new ArrayList<>();
        for (AttributeValue v : list(i, "indexes")) {
            if (!(v instanceof AttributeValue.M m)) {
                throw new CorruptDataException("stored table definition has a malformed index");
            }
            Item index = new Item(m.values());
            long id = num(index, "id");
            if (id < 1 || id > Integer.MAX_VALUE) {
                throw new CorruptDataException("stored table definition has an index with id " + id);
            }
            List<String> include = new ArrayList<>();
            if (index.get("include") != null) {
                for (AttributeValue name : list(index, "include")) {
                    include.add(str(name, "index include"));
                }
            }
            out.add(new SecondaryIndex(str(index, "name"), (int) id, IndexKind.valueOf(str(index, "kind")),
                    new KeySchema(keys(index, "hash"), keys(index, "range")),
                    new IndexProjection(ProjectionType.valueOf(str(index, "projection")), include),
                    IndexStatus.valueOf(str(index, "status")), num(index, "rcu"), num(index, "wcu")));
        }
        return out;
    }

    private static List<KeyAttribute> keys(Item index, String name) {
        List<KeyAttribute> out = new ArrayList<>();
        for (AttributeValue k : list(index, name)) {
            List<AttributeValue> pair = k instanceof AttributeValue.L l ? l.values() : List.of();
            if (pair.size() != 2) {
                throw new CorruptDataException("stored table definition has a malformed index key");
            }
            out.add(new KeyAttribute(str(pair.get(0), "index key name"), str(pair.get(1), "index key type")));
        }
        return out;
    }

    private static boolean deletionProtection(Item i) {
        AttributeValue v = i.get("deletionProtection");
        if (v == null) {
            return false;
        }
        if (!(v instanceof AttributeValue.BOOL b)) {
            throw new CorruptDataException("stored table definition has a malformed deletionProtection");
        }
        return b.value();
    }

    private static TimeToLive timeToLive(Item i) {
        return i.get("ttlName") == null ? null
                : new TimeToLive(str(i, "ttlName"), TimeToLive.Status.valueOf(str(i, "ttlStatus")));
    }

    private static Map<String, AttributeValue> stream(TableStream stream) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        a.put("view", s(stream.viewType().name()));
        a.put("enabled", n(stream.enabledMillis()));
        a.put("enabledVersion", n(stream.enabledAt().version()));
        a.put("enabledIndex", n(stream.enabledAt().index()));
        if (!stream.isEnabled()) {
            a.put("disabled", n(stream.disabledMillis()));
            a.put("disabledVersion", n(stream.disabledAt().version()));
            a.put("disabledIndex", n(stream.disabledAt().index()));
        }
        return a;
    }

    private static List<TableStream> streams(Item i) {
        if (i.get("streams") == null) {
            return i.get("streamView") == null ? List.of() : List.of(TableStream.enabled(
                    StreamViewType.valueOf(str(i, "streamView")), num(i, "streamEnabled"), Position.START));
        }
        List<TableStream> streams = new ArrayList<>();
        for (AttributeValue v : list(i, "streams")) {
            if (!(v instanceof AttributeValue.M m)) {
                throw new CorruptDataException("stored table definition has a malformed stream");
            }
            Item s = new Item(m.values());
            TableStream stream = TableStream.enabled(StreamViewType.valueOf(str(s, "view")), num(s, "enabled"),
                    position(s, "enabledVersion", "enabledIndex"));
            streams.add(s.get("disabled") == null ? stream
                    : stream.disabled(num(s, "disabled"), position(s, "disabledVersion", "disabledIndex")));
        }
        return streams;
    }

    private static Position position(Item i, String version, String index) {
        long v = num(i, version);
        long x = num(i, index);
        if (v < 0 || x < 0 || x > Position.MAX_INDEX) {
            throw new CorruptDataException("stored table definition has an impossible stream position");
        }
        return new Position(v, (int) x);
    }

    private static TableDefinition definition(Item i) {
        Map<String, String> defs = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : map(i, "attributes").entrySet()) {
            defs.put(e.getKey(), str(e.getValue(), "attributes." + e.getKey()));
        }
        List<TableDefinition.Tag> tags = new ArrayList<>();
        for (AttributeValue tag : list(i, "tags")) {
            List<AttributeValue> kv = tag instanceof AttributeValue.L l ? l.values() : List.of();
            if (kv.size() != 2) {
                throw new CorruptDataException("stored table definition has a malformed tag");
            }
            tags.add(new TableDefinition.Tag(str(kv.get(0), "tag key"), str(kv.get(1), "tag value")));
        }
        long partitions = num(i, "partitions");
        if (partitions < 1 || partitions > Integer.MAX_VALUE) {
            throw new CorruptDataException("stored table definition has " + partitions + " changelog partitions");
        }
        try {
            return new TableDefinition(
                    str(i, "name"),
                    num(i, "id"),
                    str(i, "uuid"),
                    num(i, "created"),
                    new KeyAttribute(str(i, "hashName"), str(i, "hashType")),
                    i.get("rangeName") == null ? null : new KeyAttribute(str(i, "rangeName"), str(i, "rangeType")),
                    defs,
                    BillingMode.valueOf(str(i, "billing")),
                    num(i, "rcu"),
                    num(i, "wcu"),
                    (int) partitions,
                    streams(i),
                    tags,
                    indexes(i),
                    timeToLive(i),
                    deletionProtection(i),
                    i.get("tableClass") == null ? TableClass.STANDARD : TableClass.valueOf(str(i, "tableClass")));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CorruptDataException("stored table definition is invalid: " + e.getMessage());
        }
    }

    private static AttributeValue s(String value) {
        return new AttributeValue.S(value);
    }

    private static AttributeValue n(long value) {
        return new AttributeValue.N(BigDecimal.valueOf(value));
    }

    private static AttributeValue required(Item i, String name) {
        AttributeValue v = i.get(name);
        if (v == null) {
            throw new CorruptDataException("stored table definition lacks " + name);
        }
        return v;
    }

    private static String str(Item i, String name) {
        return str(required(i, name), name);
    }

    private static String str(AttributeValue v, String what) {
        if (v instanceof AttributeValue.S s) {
            return s.value();
        }
        throw new CorruptDataException("stored table definition: " + what + " is not a string");
    }

    private static long num(Item i, String name) {
        if (required(i, name) instanceof AttributeValue.N n) {
            try {
                return n.value().longValueExact();
            } catch (ArithmeticException e) {
                throw new CorruptDataException("stored table definition: " + name + " is not a whole number");
            }
        }
        throw new CorruptDataException("stored table definition: " + name + " is not a number");
    }

    private static Map<String, AttributeValue> map(Item i, String name) {
        if (required(i, name) instanceof AttributeValue.M m) {
            return m.values();
        }
        throw new CorruptDataException("stored table definition: " + name + " is not a map");
    }

    private static List<AttributeValue> list(Item i, String name) {
        if (required(i, name) instanceof AttributeValue.L l) {
            return l.values();
        }
        throw new CorruptDataException("stored table definition: " + name + " is not a list");
    }
}
