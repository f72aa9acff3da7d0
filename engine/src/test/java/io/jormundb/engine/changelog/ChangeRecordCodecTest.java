package io.jormundb.engine.changelog;

import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.DecoderFuzz;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored change record: golden bytes freeze the format; damaged bytes raise CorruptData and nothing else. */
class ChangeRecordCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static final Item KEYS = item("id", new AttributeValue.S("a"));
    private static final Item NEW = item("id", new AttributeValue.S("a"), "n", new AttributeValue.N(BigDecimal.ONE));

    /** Table 7 "T", partition 2, sequence 17, position (912, 3), created 1700000000123 ms. */
    private static ChangeRecord record(EventName event, Item oldImage, Item newImage, Cause cause, String txId) {
        return new ChangeRecord(7, "T", 2, 17, new Position(912, 3), event, KEYS, oldImage, newImage,
                1_700_000_000_123L, cause, txId);
    }

    private static final ChangeRecord INSERT = record(EventName.INSERT, null, NEW, Cause.USER, null);
    private static final ChangeRecord TTL_REMOVE = record(EventName.REMOVE, NEW, null, Cause.TTL, "tx");

    @Test
    void anInsertHasTheseBytes() {
        // 02 format | 07 table | 01 54 "T" | 02 partition | 11 sequence 17 | 90 07 version 912 | 03 index
        // | 00 INSERT | 00 USER | FB D0 95 FF BC 31 created | 04 flags: new image
        // | keys 01 (02 69 64 "id" 01 01 61 S "a") | new 02 (02 69 64 01 01 61) (01 6E "n" 02 00 01 01 N 1)
        assertEquals("02 07 01 54 02 11 90 07 03 00 00 FB D0 95 FF BC 31 04 01 02 69 64 01 01 61 "
                + "02 02 69 64 01 01 61 01 6E 02 00 01 01", HEX.formatHex(ChangeRecordCodec.encode(INSERT)));
    }

    @Test
    void aTtlRemoveInATransactionHasTheseBytes() {
        // ... 02 REMOVE | 01 TTL | created | 03 flags: transaction, old image | 02 74 78 "tx" | keys | old
        assertEquals("02 07 01 54 02 11 90 07 03 02 01 FB D0 95 FF BC 31 03 02 74 78 01 02 69 64 01 01 61 "
                + "02 02 69 64 01 01 61 01 6E 02 00 01 01", HEX.formatHex(ChangeRecordCodec.encode(TTL_REMOVE)));
    }

    @Test
    void imagesTakenFromTheItemsOwnEncodingsGiveTheSameBytes() {
        ChangeRecord modify = record(EventName.MODIFY, KEYS, NEW, Cause.USER, null);
        for (ChangeRecord r : List.of(INSERT, modify, TTL_REMOVE)) {
            byte[] oldEncoding = r.oldImage() == null ? null : ItemCodec.encode(r.oldImage());
            byte[] newEncoding = r.newImage() == null ? null : ItemCodec.encode(r.newImage());
            assertEquals(HEX.formatHex(ChangeRecordCodec.encode(r)),
                    HEX.formatHex(ChangeRecordCodec.encode(r, oldEncoding, newEncoding)));
        }
    }

    @Test
    void recordsDecodeToWhatWasEncoded() {
        for (ChangeRecord r : List.of(INSERT, TTL_REMOVE, record(EventName.MODIFY, KEYS, NEW, Cause.USER, null))) {
            assertEquals(r, ChangeRecordCodec.decode(ChangeRecordCodec.encode(r)));
        }
    }

    @Test
    void unknownTagsFlagsAndMismatchedImagesRaiseCorruptData() {
        assertCorrupt("01 07 01 54 02 11 90 07 03 00 00 00 04 01 02 69 64 01 01 61 01 02 69 64 01 01 61",
                "unknown change record format 1");
        assertCorrupt("02 07 01 54 02 11 90 07 03 03 00 00 04 01 02 69 64 01 01 61 01 02 69 64 01 01 61",
                "unknown event name tag 3");
        assertCorrupt("02 07 01 54 02 11 90 07 03 00 02 00 04 01 02 69 64 01 01 61 01 02 69 64 01 01 61",
                "unknown cause tag 2");
        assertCorrupt("02 07 01 54 02 11 90 07 03 00 00 00 0C 01 02 69 64 01 01 61 01 02 69 64 01 01 61",
                "unknown change record flags 12");
        assertCorrupt("02 07 01 54 02 11 90 07 03 00 00 00 06 01 02 69 64 01 01 61 01 02 69 64 01 01 61 "
                + "01 02 69 64 01 01 61", "change record images do not fit its event INSERT");
        assertCorrupt("02 07 01 54 02 00 90 07 03 00 00 00 04 01 02 69 64 01 01 61 01 02 69 64 01 01 61",
                "change record sequence 0 out of range");
        assertCorrupt("02 07 01 54 02 11 90 07 03 00 00 00 04 01 02 69 64 01 01 61 01 02 69 64 01 01 61 00",
                "trailing bytes after change record at byte 27");
    }

    @Test
    void everyTruncationRaisesCorruptData() {
        byte[] whole = ChangeRecordCodec.encode(TTL_REMOVE);
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThrows(CorruptDataException.class, () -> ChangeRecordCodec.decode(cut));
        }
    }

    @Test
    void noByteStringMakesTheDecoderDoAnythingButDecodeOrRaiseCorruptData() {
        DecoderFuzz.assertDecodesOrRefuses(ChangeRecordCodec::decode, List.of(ChangeRecordCodec.encode(INSERT),
                ChangeRecordCodec.encode(TTL_REMOVE)), 200_000);
    }

    private static void assertCorrupt(String hex, String message) {
        assertEquals(message, assertThrows(CorruptDataException.class,
                () -> ChangeRecordCodec.decode(HEX.parseHex(hex))).getMessage());
    }

    private static Item item(Object... namesAndValues) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return new Item(m);
    }
}
