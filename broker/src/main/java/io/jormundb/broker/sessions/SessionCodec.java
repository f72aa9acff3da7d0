package io.jormundb.broker.sessions;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored forms of the MQTT state in RocksDB (keys: {@code Keys.mqttBroker()},
 * {@code Keys.mqttSession(clientId)}):
 * <pre>
 *   broker   := FORMAT state(1) optional(position)         state: 00 running, 01 stopped cleanly
 *   session  := FORMAT varlong(lastSeenMillis) position optional(position)
 *               varint(n) { qos(1) string(filter) }*n
 *   position := varlong(version) varint(index)
 *   optional := 00 | 01 position
 * </pre>
 * e.g. a session last seen at 1000 ms, owed from (912, 0) on, subscribed to {@code a/#} at QoS 1:
 * {@code 01 E8 07 90 07 00 00 01 01 03 61 2F 23}. Decoding rejects an unknown format, out-of-range
 * values, truncation and trailing bytes with {@link CorruptDataException} and nothing else.
 */
final class SessionCodec {
    private static final int FORMAT = 0x01;
    private static final int RUNNING = 0x00;
    private static final int STOPPED_CLEANLY = 0x01;
    private static final int ABSENT = 0x00;
    private static final int PRESENT = 0x01;

    private SessionCodec() {
    }

    static byte[] encode(BrokerRecord broker) {
        ByteWriter out = new ByteWriter(16).write(FORMAT).write(broker.stoppedCleanly() ? STOPPED_CLEANLY : RUNNING);
        writeOptional(out, broker.floor());
        return out.toByteArray();
    }

    static BrokerRecord decodeBroker(byte[] bytes) {
        ByteReader in = reader(bytes);
        int state = in.read();
        if (state != RUNNING && state != STOPPED_CLEANLY) {
            throw new CorruptDataException("MQTT broker record with state " + state);
        }
        BrokerRecord broker = new BrokerRecord(state == STOPPED_CLEANLY, readOptional(in));
        end(in);
        return broker;
    }

    static byte[] encode(SessionRecord session) {
        ByteWriter out = new ByteWriter(32).write(FORMAT).writeVarLong(session.lastSeenMillis());
        writePosition(out, session.unacknowledged());
        writeOptional(out, session.lostFrom());
        out.writeVarInt(session.filters().size());
        for (TopicFilter f : session.filters()) {
            out.write(f.qos()).writeString(f.filter());
        }
        return out.toByteArray();
    }

    static SessionRecord decodeSession(String clientId, byte[] bytes) {
        ByteReader in = reader(bytes);
        long lastSeen = in.readVarLong();
        Position unacknowledged = readPosition(in);
        Position lostFrom = readOptional(in);
        int count = in.readVarInt();
        List<TopicFilter> filters = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            int qos = in.read();
            String filter = in.readString();
            if (qos > 2 || filter.isEmpty()) {
                throw new CorruptDataException("MQTT session record with a subscription to '" + filter + "' at QoS "
                        + qos);
            }
            filters.add(new TopicFilter(filter, qos));
        }
        end(in);
        return new SessionRecord(clientId, lastSeen, unacknowledged, lostFrom, filters);
    }

    private static ByteReader reader(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int format = in.read();
        if (format != FORMAT) {
            throw new CorruptDataException("MQTT state record of format " + format);
        }
        return in;
    }

    private static void end(ByteReader in) {
        if (in.hasRemaining()) {
            throw new CorruptDataException("trailing bytes in MQTT state record at byte " + in.position());
        }
    }

    private static void writePosition(ByteWriter out, Position p) {
        out.writeVarLong(p.version()).writeVarInt(p.index());
    }

    private static Position readPosition(ByteReader in) {
        long version = in.readVarLong();
        int index = in.readVarInt();
        if (version < 0 || index > Position.MAX_INDEX) {
            throw new CorruptDataException("MQTT state record with position (" + version + ", " + index + ")");
        }
        return new Position(version, index);
    }

    private static void writeOptional(ByteWriter out, Position p) {
        if (p == null) {
            out.write(ABSENT);
        } else {
            writePosition(out.write(PRESENT), p);
        }
    }

    private static Position readOptional(ByteReader in) {
        return switch (in.read()) {
            case ABSENT -> null;
            case PRESENT -> readPosition(in);
            default -> throw new CorruptDataException("MQTT state record with a malformed optional position");
        };
    }
}
