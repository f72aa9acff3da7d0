package io.jormundb.streams.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.jormundb.engine.changelog.Cause;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.Position;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The change record as JSON, the same bytes in SSE {@code data:} and MQTT payloads:
 * <pre>
 * {"eventID":…,"eventName":"INSERT","eventSource":"jormundb","tableName":…,"partition":2,
 *  "sequence":17,"commitVersion":912,"commitIndex":0,"token":"&lt;resume token&gt;",
 *  ["transactionId":…,]["userIdentity":{…},]
 *  "dynamodb":{"Keys":{…},["NewImage":{…},]["OldImage":{…},]"SequenceNumber":"000000000000912000000",
 *  "ApproximateCreationDateTime":1700000000.123,"SizeBytes":n}}
 * </pre>
 * The token names the record's own position (bound to its table), so a record is encoded once
 * and every reader sends the same bytes.
 */
public final class ChangeJson {
    /**
     * Buffers from a shared pool: a record is encoded by the first reader that needs it, often an
     * SSE subscriber's virtual thread, so a pool per thread would keep buffers per subscriber.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build();
    private static final HexFormat HEX = HexFormat.of();
    /** How every record's JSON begins: its event id, 32 hex digits of its position, comes first. */
    private static final byte[] EVENT_ID_FIELD = "{\"eventID\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int HEX_DIGITS = 16;
    /** The bytes {@link #positionOf} reads: the event id field, its value and its closing quote. */
    public static final int POSITION_PREFIX_BYTES = EVENT_ID_FIELD.length + 2 * HEX_DIGITS + 1;

    private ChangeJson() {
    }

    /** DynamoDB-style event id: 32 hex digits of the record's position, the same for every delivery. */
    public static String eventId(ChangeRecord r) {
        // No String.format: this runs for every change record a feed encodes.
        return HEX.toHexDigits(r.position().version()) + HEX.toHexDigits((long) r.position().index());
    }

    /**
     * The position of the record whose JSON begins with {@code prefix} (its first
     * {@link #POSITION_PREFIX_BYTES} bytes or more, as {@link #encode} wrote them), or {@code null}
     * for anything else, such as a {@link #tableDeleted} announcement: read from its event id,
     * without parsing the rest.
     */
    public static Position positionOf(byte[] prefix) {
        if (prefix.length < POSITION_PREFIX_BYTES || !Arrays.equals(prefix, 0, EVENT_ID_FIELD.length, EVENT_ID_FIELD, 0,
                EVENT_ID_FIELD.length) || prefix[POSITION_PREFIX_BYTES - 1] != '"') {
            return null;
        }
        try {
            String hex = new String(prefix, EVENT_ID_FIELD.length, 2 * HEX_DIGITS, StandardCharsets.US_ASCII);
            long version = Long.parseUnsignedLong(hex, 0, HEX_DIGITS, 16);
            long index = Long.parseUnsignedLong(hex, HEX_DIGITS, 2 * HEX_DIGITS, 16);
            return version < 0 || index > Position.MAX_INDEX ? null : new Position(version, (int) index);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The record's JSON, carrying {@code token} (the resume token of its position). */
    public static byte[] encode(ChangeRecord r, String token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("eventID", eventId(r));
            g.writeStringField("eventName", r.eventName().name());
            g.writeStringField("eventSource", "jormundb");
            g.writeStringField("tableName", r.tableName());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("sequence", r.sequence());
            g.writeNumberField("commitVersion", r.position().version());
            g.writeNumberField("commitIndex", r.position().index());
            g.writeStringField("token", token);
            if (r.transactionId() != null) {
                g.writeStringField("transactionId", r.transactionId());
            }
            if (r.cause() == Cause.TTL) {
                g.writeObjectFieldStart("userIdentity");
                g.writeStringField("type", "Service");
                g.writeStringField("principalId", "dynamodb.amazonaws.com");
                g.writeEndObject();
            }
            g.writeObjectFieldStart("dynamodb");
            g.writeFieldName("Keys");
            DynamoJson.writeItem(g, r.keys());
            if (r.newImage() != null) {
                g.writeFieldName("NewImage");
                DynamoJson.writeItem(g, r.newImage());
            }
            if (r.oldImage() != null) {
                g.writeFieldName("OldImage");
                DynamoJson.writeItem(g, r.oldImage());
            }
            g.writeStringField("SequenceNumber", r.position().sequenceNumber());
            g.writeFieldName("ApproximateCreationDateTime");
            g.writeNumber(BigDecimal.valueOf(r.creationTimeMillis(), 3));
            g.writeNumberField("SizeBytes", r.sizeBytes());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The announcement of a table's deletion on MQTT: {@code {"event":"table-deleted","tableName":…}}. */
    public static byte[] tableDeleted(String tableName) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("event", "table-deleted");
            g.writeStringField("tableName", tableName);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
