package io.jormundb.engine.catalog;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.DecoderFuzz;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored table definition: golden bytes freeze it, and damage raises CorruptData and nothing else. */
class TableCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static final TableDefinition ORDERS = new TableDefinition("Orders", 7, "u-1", 1_700_000_000_123L,
            new KeyAttribute("pk", "S"), new KeyAttribute("sk", "N"), Map.of("pk", "S"), BillingMode.PAY_PER_REQUEST,
            0, 0, 4, List.of(
                    TableStream.enabled(StreamViewType.KEYS_ONLY, 1_700_000_000_124L, new Position(3, 0))
                            .disabled(1_700_000_000_200L, new Position(9, 0)),
                    TableStream.enabled(StreamViewType.NEW_IMAGE, 1_700_000_000_300L, new Position(12, 0))),
            List.of(new TableDefinition.Tag("team", "a")));
    private static final TableDefinition PLAIN = new TableDefinition("Users", 8, "u-2", 5, new KeyAttribute("id", "B"),
            null, Map.of("id", "B"), BillingMode.PROVISIONED, 5, 6, 1, List.of(), List.of());

    @Test
    void aDefinitionHasTheseBytes() {
        // An item (ItemCodec) of: name, id, uuid, created, hashName, hashType, attributes, billing,
        // rcu, wcu, partitions, tags; a table without a sort key or a stream has no fields for them.
        assertEquals("01 0C 04 6E 61 6D 65 01 05 55 73 65 72 73 02 69 64 02 00 01 08 04 75 75 69 64 01 03 75 2D 32 "
                + "07 63 72 65 61 74 65 64 02 00 01 05 08 68 61 73 68 4E 61 6D 65 01 02 69 64 08 68 61 73 68 54 79 70 "
                + "65 01 01 42 0A 61 74 74 72 69 62 75 74 65 73 08 01 02 69 64 01 01 42 07 62 69 6C 6C 69 6E 67 01 0B "
                + "50 52 4F 56 49 53 49 4F 4E 45 44 03 72 63 75 02 00 01 05 03 77 63 75 02 00 01 06 0A 70 61 72 74 69 "
                + "74 69 6F 6E 73 02 00 01 01 04 74 61 67 73 07 00", HEX.formatHex(TableCodec.encode(PLAIN)));
    }

    @Test
    void definitionsAndRetiredTablesDecodeToWhatWasEncoded() {
        assertEquals(ORDERS, TableCodec.decode(TableCodec.encode(ORDERS)));
        assertEquals(PLAIN, TableCodec.decode(TableCodec.encode(PLAIN)));
        RetiredTable retired = new RetiredTable(ORDERS, new Position(912, 0));
        assertEquals(retired, TableCodec.decodeRetired(TableCodec.encodeRetired(retired)));
    }

    @Test
    void aDefinitionWrittenBeforeStreamsHadAHistoryReadsAsOneStreamOverTheWholeChangelog() {
        Map<String, AttributeValue> fields = new LinkedHashMap<>(ItemCodec.decode(TableCodec.encode(PLAIN)).attributes());
        fields.put("streamView", new AttributeValue.S("NEW_AND_OLD_IMAGES"));
        fields.put("streamEnabled", new AttributeValue.N(java.math.BigDecimal.valueOf(1_700_000_000_000L)));
        TableDefinition legacy = TableCodec.decode(ItemCodec.encode(new Item(fields)));
        assertEquals(List.of(TableStream.enabled(StreamViewType.NEW_AND_OLD_IMAGES, 1_700_000_000_000L,
                Position.START)), legacy.streams());
    }

    @Test
    void streamsThatCannotBeRaiseCorruptData() {
        Map<String, AttributeValue> fields = new LinkedHashMap<>(ItemCodec.decode(TableCodec.encode(ORDERS)).attributes());
        List<AttributeValue> streams = ((AttributeValue.L) fields.get("streams")).values();
        // Both streams enabled: only the last one may be.
        Map<String, AttributeValue> first = new LinkedHashMap<>(((AttributeValue.M) streams.get(0)).values());
        first.remove("disabled");
        first.remove("disabledVersion");
        first.remove("disabledIndex");
        fields.put("streams", new AttributeValue.L(List.of(new AttributeValue.M(first), streams.get(1))));
        assertEquals("stored table definition is invalid: only the last stream of a table may be enabled, and "
                + "streams are enabled one after the other", corrupt(fields));
        fields.put("streams", new AttributeValue.L(List.of(new AttributeValue.S("KEYS_ONLY"))));
        assertEquals("stored table definition has a malformed stream", corrupt(fields));
    }

    @Test
    void missingOrMistypedFieldsRaiseCorruptData() {
        Map<String, AttributeValue> fields = new LinkedHashMap<>(ItemCodec.decode(TableCodec.encode(PLAIN)).attributes());
        fields.put("partitions", new AttributeValue.S("four"));
        assertEquals("stored table definition: partitions is not a number", corrupt(fields));
        fields.put("partitions", new AttributeValue.N(java.math.BigDecimal.ZERO));
        assertEquals("stored table definition has 0 changelog partitions", corrupt(fields));
        fields.put("partitions", new AttributeValue.N(java.math.BigDecimal.ONE));
        fields.remove("name");
        assertEquals("stored table definition lacks name", corrupt(fields));
        fields.put("name", new AttributeValue.S("Users"));
        fields.put("billing", new AttributeValue.S("FREE"));
        assertThrows(CorruptDataException.class, () -> TableCodec.decode(ItemCodec.encode(new Item(fields))));
        assertThrows(CorruptDataException.class, () -> TableCodec.decodeRetired(TableCodec.encode(PLAIN)));
    }

    @Test
    void noByteStringMakesTheDecodersDoAnythingButDecodeOrRaiseCorruptData() {
        List<byte[]> valid = List.of(TableCodec.encode(ORDERS), TableCodec.encode(PLAIN),
                TableCodec.encodeRetired(new RetiredTable(PLAIN, new Position(3, 0))));
        DecoderFuzz.assertDecodesOrRefuses(TableCodec::decode, valid, 100_000);
        DecoderFuzz.assertDecodesOrRefuses(TableCodec::decodeRetired, valid, 100_000);
    }

    private static String corrupt(Map<String, AttributeValue> fields) {
        return assertThrows(CorruptDataException.class,
                () -> TableCodec.decode(ItemCodec.encode(new Item(fields)))).getMessage();
    }
}
