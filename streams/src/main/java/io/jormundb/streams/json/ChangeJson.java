package io.jormundb.streams.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jormundb.engine.changelog.Cause;
import io.jormundb.engine.changelog.ChangeRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The change record as JSON, the same bytes in SSE {@code data:} and MQTT payloads:
 * <pre>
 * {"eventID":…,"eventName":"INSERT","eventSource":"jormundb","tableName":…,"partition":2,
 *  "sequence":17,"token":"&lt;resume token&gt;",["transactionId":…,]["userIdentity":{…},]
 *  "dynamodb":{"Keys":{…},["NewImage":{…},]["OldImage":{…},]"SequenceNumber":"17",
 *  "ApproximateCreationDateTime":1700000000.123,"SizeBytes":n}}
 * </pre>
 * The token depends on the reader (it is the reader's position just past the event), so a
 * record is encoded once into the bytes before and after the token, and each reader splices
 * its token in between.
 */
public final class ChangeJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] TOKEN_MARK = "\u0000TOKEN\u0000".getBytes(StandardCharsets.UTF_8);

    private ChangeJson() {
    }

    /** A record encoded around its token. */
    public record Encoded(byte[] head, byte[] tail) {
        /** The full JSON with {@code token} (URL-safe base64, so it needs no escaping) spliced in. */
        public byte[] with(String token) {
            byte[] t = token.getBytes(StandardCharsets.US_ASCII);
            byte[] out = Arrays.copyOf(head, head.length + t.length + tail.length);
            System.arraycopy(t, 0, out, head.length, t.length);
            System.arraycopy(tail, 0, out, head.length + t.length, tail.length);
            return out;
        }
    }

    /** DynamoDB-style event id: 32 hex digits, the same for every delivery of one record. */
    public static String eventId(ChangeRecord r) {
        return String.format("%08x%08x%016x", r.tableId(), r.partition(), r.sequence());
    }

    public static Encoded encode(ChangeRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("eventID", eventId(r));
            g.writeStringField("eventName", r.eventName().name());
            g.writeStringField("eventSource", "jormundb");
            g.writeStringField("tableName", r.tableName());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("sequence", r.sequence());
            g.writeFieldName("token");
            g.writeRawValue("\"\u0000TOKEN\u0000\"");
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
            g.writeStringField("SequenceNumber", Long.toString(r.sequence()));
            g.writeFieldName("ApproximateCreationDateTime");
            g.writeNumber(BigDecimal.valueOf(r.creationTimeMillis(), 3));
            g.writeNumberField("SizeBytes", r.sizeBytes());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] all = bytes.toByteArray();
        int at = indexOf(all, TOKEN_MARK);
        return new Encoded(Arrays.copyOfRange(all, 0, at), Arrays.copyOfRange(all, at + TOKEN_MARK.length, all.length));
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

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("token mark missing");
    }
}
