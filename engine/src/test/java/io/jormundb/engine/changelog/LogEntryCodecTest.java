package io.jormundb.engine.changelog;

import io.jormundb.engine.changelog.LogEntryCodec.TrimMark;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.DecoderFuzz;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Commit log entries and trim marks: golden bytes, round trips, and damage raising CorruptData only. */
class LogEntryCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static final Position AT = new Position(912, 3);
    private static final LogEntry.Change CHANGE = new LogEntry.Change(AT, 7, 2, 17, 1_700_000_000_123L,
            0x0102030405060708L, 0xF1F2F3F4F5F6F7F8L);
    private static final LogEntry.TableDeleted DELETED = new LogEntry.TableDeleted(AT, 7, 1_700_000_000_123L);

    @Test
    void entriesHaveTheseBytes() {
        // 01 change | 07 table | created | 02 partition | 11 sequence | key hash (8) | item hash (8)
        assertEquals("01 07 FB D0 95 FF BC 31 02 11 01 02 03 04 05 06 07 08 F1 F2 F3 F4 F5 F6 F7 F8",
                HEX.formatHex(LogEntryCodec.encode(CHANGE)));
        // 02 table deleted | 07 table | created
        assertEquals("02 07 FB D0 95 FF BC 31", HEX.formatHex(LogEntryCodec.encode(DELETED)));
        // version 912 | index 3 | sequence 17
        assertEquals("90 07 03 11", HEX.formatHex(LogEntryCodec.encode(new TrimMark(AT, 17))));
    }

    @Test
    void entriesAndMarksDecodeToWhatWasEncoded() {
        assertEquals(CHANGE, LogEntryCodec.decode(AT, LogEntryCodec.encode(CHANGE)));
        assertEquals(DELETED, LogEntryCodec.decode(AT, LogEntryCodec.encode(DELETED)));
        assertEquals(new TrimMark(AT, 17), LogEntryCodec.decodeTrimMark(LogEntryCodec.encode(new TrimMark(AT, 17))));
        assertEquals(TrimMark.NONE, LogEntryCodec.decodeTrimMark(null));
    }

    @Test
    void unknownKindsTrailingBytesAndImpossibleNumbersRaiseCorruptData() {
        assertEquals("unknown commit log entry kind 3", corrupt("03 07 FB D0 95 FF BC 31"));
        assertEquals("trailing bytes after commit log entry at byte 8", corrupt("02 07 FB D0 95 FF BC 31 00"));
        assertEquals("commit log entry with table id 0", corrupt("02 00 FB D0 95 FF BC 31"));
        assertEquals("trim mark out of range", assertThrows(CorruptDataException.class,
                () -> LogEntryCodec.decodeTrimMark(HEX.parseHex("90 07 C0 84 3D 11"))).getMessage());
    }

    @Test
    void noByteStringMakesTheDecodersDoAnythingButDecodeOrRaiseCorruptData() {
        DecoderFuzz.assertDecodesOrRefuses(b -> LogEntryCodec.decode(AT, b),
                List.of(LogEntryCodec.encode(CHANGE), LogEntryCodec.encode(DELETED)), 100_000);
        DecoderFuzz.assertDecodesOrRefuses(LogEntryCodec::decodeTrimMark,
                List.of(LogEntryCodec.encode(new TrimMark(AT, 17))), 50_000);
    }

    private static String corrupt(String hex) {
        return assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(AT, HEX.parseHex(hex))).getMessage();
    }
}
