package io.jormundb.broker.sessions;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.CorruptDataException;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored MQTT state: golden bytes freeze the format, every record reads back, damage is refused. */
class SessionCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    @Test
    void aSessionIsTheseBytes() {
        SessionRecord session = new SessionRecord("c1", 1000, new Position(912, 0), null,
                List.of(new TopicFilter("a/#", 1)));
        assertEquals("01 E8 07 90 07 00 00 01 01 03 61 2F 23", HEX.formatHex(SessionCodec.encode(session)));
    }

    @Test
    void theBrokerRecordIsTheseBytes() {
        assertEquals("01 00 00", HEX.formatHex(SessionCodec.encode(new BrokerRecord(false, null))));
        assertEquals("01 01 01 90 07 03", HEX.formatHex(SessionCodec.encode(new BrokerRecord(true, new Position(912, 3)))));
    }

    @Test
    void everyRecordReadsBack() {
        for (SessionRecord session : List.of(
                new SessionRecord("c1", 0, Position.START, null, List.of()),
                new SessionRecord("grüße", Long.MAX_VALUE, new Position(Long.MAX_VALUE, Position.MAX_INDEX),
                        new Position(3, 7), List.of(new TopicFilter("jormundb/Orders/#", 1),
                        new TopicFilter("jormundb/+/c%2F1", 0), new TopicFilter("日本/#", 2))))) {
            assertEquals(session, SessionCodec.decodeSession(session.clientId(), SessionCodec.encode(session)));
        }
        for (BrokerRecord broker : List.of(new BrokerRecord(false, null), new BrokerRecord(true, null),
                new BrokerRecord(false, new Position(1, 0)), new BrokerRecord(true, new Position(Long.MAX_VALUE, 0)))) {
            assertEquals(broker, SessionCodec.decodeBroker(SessionCodec.encode(broker)));
        }
    }

    @Test
    void damagedRecordsAreRefused() {
        for (String bad : List.of("", "02 00 00", "01 02 00", "01 00 02", "01 00 01 90", "01 00 00 00",
                "01 01 01 90 07 C0 84 3D")) {
            assertThrows(CorruptDataException.class, () -> SessionCodec.decodeBroker(HEX.parseHex(bad)), bad);
        }
        for (String bad : List.of("", "01", "01 E8 07 90 07 00 00 01 03 03 61 2F 23", "01 E8 07 90 07 00 00 01 01 00",
                "01 E8 07 90 07 00 00 01 01 03 61 2F", "01 E8 07 90 07 00 00 01 01 03 61 2F 23 00",
                "01 E8 07 90 07 00 02 01 01 03 61 2F 23")) {
            assertThrows(CorruptDataException.class, () -> SessionCodec.decodeSession("c1", HEX.parseHex(bad)), bad);
        }
    }
}
