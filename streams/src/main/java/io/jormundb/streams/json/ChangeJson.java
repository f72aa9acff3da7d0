package io.jormundb.streams.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jormundb.engine.changelog.Cause;
import io.jormundb.engine.changelog.ChangeRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

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
    private static final JsonFactory JSON = new JsonFactory();

    private ChangeJson() {
    }

    /** DynamoDB-style event id: 32 hex digits of the record's position, the same for every delivery. */
    public static String eventId(ChangeRecord r) {
        return String.format("%016x%016x", r.position().version(), r.position().index());
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
