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
            List.of(new TableDefinition.Tag("team", "a")), List.of(), null, false, null);
    private static final TableDefinition PLAIN = new TableDefinition("Users", 8, "u-2", 5, new KeyAttribute("id", "B"),
            null, Map.of("id", "B"), BillingMode.PROVISIONED, 5, 6, 1, List.of(), List.of(), List.of(), null, false, null);
    /** A table with a local index, a global index with a multi-attribute key, and TTL. */
    private static final TableDefinition INDEXED = new TableDefinition("Games", 9, "u-3", 6,
            new KeyAttribute("pk", "S"), new KeyAttribute("sk", "N"),
            Map.of("pk", "S", "sk", "N", "at", "N", "t", "S", "r", "B"), BillingMode.PROVISIONED, 1, 2, 1, List.of(),
            List.of(), List.of(
                    new SecondaryIndex("byAt", 3, IndexKind.LOCAL, KeySchema.of(new KeyAttribute("pk", "S"),
                            new KeyAttribute("at", "N")), IndexProjection.KEYS_ONLY, IndexStatus.ACTIVE, 0, 0),
                    new SecondaryIndex("byTeam", 4, IndexKind.GLOBAL, new KeySchema(
                            List.of(new KeyAttribute("t", "S"), new KeyAttribute("r", "B")),
                            List.of(new KeyAttribute("at", "N"))),
                            new IndexProjection(ProjectionType.INCLUDE, List.of("score")), IndexStatus.CREATING, 3, 4)),
            new TimeToLive("exp", TimeToLive.Status.ENABLING), false, null);

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
    void aDefinitionWithIndexesAndTimeToLiveHasTheseBytes() {
        // The fields above, then "indexes" (a list of maps: name, id, kind, hash and range as lists
        // of [name, type], projection, include for INCLUDE only, status, rcu, wcu), "ttlName" and
        // "ttlStatus".
        String encoded = HEX.formatHex(TableCodec.encode(INDEXED));
        assertEquals(GOLDEN_INDEXED, encoded);
    }

    private static final String GOLDEN_INDEXED = "01 11 04 6E 61 6D 65 01 05 47 61 6D 65 73 02 69 64 02 00 01 09 04 75 75 69 64 01 03 75 2D 33 07 "
            + "63 72 65 61 74 65 64 02 00 01 06 08 68 61 73 68 4E 61 6D 65 01 02 70 6B 08 68 61 73 68 54 79 70 "
            + "65 01 01 53 09 72 61 6E 67 65 4E 61 6D 65 01 02 73 6B 09 72 61 6E 67 65 54 79 70 65 01 01 4E 0A "
            + "61 74 74 72 69 62 75 74 65 73 08 05 02 61 74 01 01 4E 02 70 6B 01 01 53 01 72 01 01 42 02 73 6B "
            + "01 01 4E 01 74 01 01 53 07 62 69 6C 6C 69 6E 67 01 0B 50 52 4F 56 49 53 49 4F 4E 45 44 03 72 63 "
            + "75 02 00 01 01 03 77 63 75 02 00 01 02 0A 70 61 72 74 69 74 69 6F 6E 73 02 00 01 01 04 74 61 67 "
            + "73 07 00 07 69 6E 64 65 78 65 73 07 02 08 09 04 6E 61 6D 65 01 04 62 79 41 74 02 69 64 02 00 01 "
            + "03 04 6B 69 6E 64 01 05 4C 4F 43 41 4C 04 68 61 73 68 07 01 07 02 01 02 70 6B 01 01 53 05 72 61 "
            + "6E 67 65 07 01 07 02 01 02 61 74 01 01 4E 0A 70 72 6F 6A 65 63 74 69 6F 6E 01 09 4B 45 59 53 5F "
            + "4F 4E 4C 59 06 73 74 61 74 75 73 01 06 41 43 54 49 56 45 03 72 63 75 02 00 01 00 03 77 63 75 02 "
            + "00 01 00 08 0A 04 6E 61 6D 65 01 06 62 79 54 65 61 6D 02 69 64 02 00 01 04 04 6B 69 6E 64 01 06 "
            + "47 4C 4F 42 41 4C 04 68 61 73 68 07 02 07 02 01 01 74 01 01 53 07 02 01 01 72 01 01 42 05 72 61 "
            + "6E 67 65 07 01 07 02 01 02 61 74 01 01 4E 0A 70 72 6F 6A 65 63 74 69 6F 6E 01 07 49 4E 43 4C 55 "
            + "44 45 07 69 6E 63 6C 75 64 65 07 01 01 05 73 63 6F 72 65 06 73 74 61 74 75 73 01 08 43 52 45 41 "
            + "54 49 4E 47 03 72 63 75 02 00 01 03 03 77 63 75 02 00 01 04 07 74 74 6C 4E 61 6D 65 01 03 65 78 "
            + "70 09 74 74 6C 53 74 61 74 75 73 01 08 45 4E 41 42 4C 49 4E 47";

    @Test
    void definitionsAndRetiredTablesDecodeToWhatWasEncoded() {
        assertEquals(INDEXED, TableCodec.decode(TableCodec.encode(INDEXED)));
        assertEquals(ORDERS, TableCodec.decode(TableCodec.encode(ORDERS)));
        assertEquals(PLAIN, TableCodec.decode(TableCodec.encode(PLAIN)));
        TableDefinition protectedTable = PLAIN.withSettings(true, TableClass.STANDARD_INFREQUENT_ACCESS);
        assertEquals(protectedTable, TableCodec.decode(TableCodec.encode(protectedTable)));
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
        fields.put("deletionProtection", new AttributeValue.S("yes"));
        assertEquals("stored table definition has a malformed deletionProtection", corrupt(fields));
        fields.remove("deletionProtection");
        fields.put("tableClass", new AttributeValue.S("GLACIER"));
        assertThrows(CorruptDataException.class, () -> TableCodec.decode(ItemCodec.encode(new Item(fields))));
        fields.remove("tableClass");
        fields.put("billing", new AttributeValue.S("FREE"));
        assertThrows(CorruptDataException.class, () -> TableCodec.decode(ItemCodec.encode(new Item(fields))));
        assertThrows(CorruptDataException.class, () -> TableCodec.decodeRetired(TableCodec.encode(PLAIN)));
    }

    @Test
    void noByteStringMakesTheDecodersDoAnythingButDecodeOrRaiseCorruptData() {
        List<byte[]> valid = List.of(TableCodec.encode(ORDERS), TableCodec.encode(PLAIN), TableCodec.encode(INDEXED),
                TableCodec.encodeRetired(new RetiredTable(PLAIN, new Position(3, 0))));
        DecoderFuzz.assertDecodesOrRefuses(TableCodec::decode, valid, 100_000);
        DecoderFuzz.assertDecodesOrRefuses(TableCodec::decodeRetired, valid, 100_000);
    }

    private static String corrupt(Map<String, AttributeValue> fields) {
        return assertThrows(CorruptDataException.class,
                () -> TableCodec.decode(ItemCodec.encode(new Item(fields)))).getMessage();
    }
}
