package io.jormundb.engine.catalog;

import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a {@link TableDefinition} as an item (with {@link ItemCodec}), so that new fields can
 * be added later without a format change: a reader ignores names it does not know and gives
 * absent ones their default.
 */
final class TableCodec {
    private TableCodec() {
    }

    static byte[] encode(TableDefinition t) {
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
        t.attributeDefinitions().forEach((name, type) -> defs.put(name, s(type)));
        a.put("attributes", new AttributeValue.M(defs));
        a.put("billing", s(t.billingMode().name()));
        a.put("rcu", n(t.readCapacityUnits()));
        a.put("wcu", n(t.writeCapacityUnits()));
        a.put("partitions", n(t.changelogPartitions()));
        if (t.streamViewType() != null) {
            a.put("streamView", s(t.streamViewType().name()));
            a.put("streamEnabled", n(t.streamEnabledTimeMillis()));
        }
        List<AttributeValue> tags = new ArrayList<>();
        for (TableDefinition.Tag tag : t.tags()) {
            tags.add(new AttributeValue.L(List.of(s(tag.key()), s(tag.value()))));
        }
        a.put("tags", new AttributeValue.L(tags));
        return ItemCodec.encode(new Item(a));
    }

    static TableDefinition decode(byte[] bytes) {
        Item i = ItemCodec.decode(bytes);
        Map<String, String> defs = new LinkedHashMap<>();
        ((AttributeValue.M) i.get("attributes")).values().forEach((name, type) -> defs.put(name, str(type)));
        KeyAttribute range = i.get("rangeName") == null ? null
                : new KeyAttribute(str(i.get("rangeName")), str(i.get("rangeType")));
        List<TableDefinition.Tag> tags = new ArrayList<>();
        for (AttributeValue tag : ((AttributeValue.L) i.get("tags")).values()) {
            List<AttributeValue> kv = ((AttributeValue.L) tag).values();
            tags.add(new TableDefinition.Tag(str(kv.get(0)), str(kv.get(1))));
        }
        return new TableDefinition(
                str(i.get("name")),
                num(i.get("id")),
                str(i.get("uuid")),
                num(i.get("created")),
                new KeyAttribute(str(i.get("hashName")), str(i.get("hashType"))),
                range,
                defs,
                BillingMode.valueOf(str(i.get("billing"))),
                num(i.get("rcu")),
                num(i.get("wcu")),
                (int) num(i.get("partitions")),
                i.get("streamView") == null ? null : StreamViewType.valueOf(str(i.get("streamView"))),
                i.get("streamEnabled") == null ? 0 : num(i.get("streamEnabled")),
                tags);
    }

    private static AttributeValue s(String value) {
        return new AttributeValue.S(value);
    }

    private static AttributeValue n(long value) {
        return new AttributeValue.N(BigDecimal.valueOf(value));
    }

    private static String str(AttributeValue v) {
        return ((AttributeValue.S) v).value();
    }

    private static long num(AttributeValue v) {
        return ((AttributeValue.N) v).value().longValueExact();
    }
}
