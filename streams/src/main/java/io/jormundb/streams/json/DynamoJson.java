package io.jormundb.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.value.Numbers;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes engine values as DynamoDB JSON ({@code {"S": "x"}}, {@code {"N": "1.5"}}, …). The one
 * writer of that form: the change record JSON and the api's responses both use it.
 */
public final class DynamoJson {
    private DynamoJson() {
    }

    public static void writeItem(JsonGenerator g, Item item) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    public static void writeValue(JsonGenerator g, AttributeValue value) throws IOException {
        g.writeStartObject();
        switch (value) {
            case AttributeValue.S s -> g.writeStringField("S", s.value());
            case AttributeValue.N n -> g.writeStringField("N", n.text());
            case AttributeValue.B b -> g.writeStringField("B", b.value().toBase64());
            case AttributeValue.BOOL b -> g.writeBooleanField("BOOL", b.value());
            case AttributeValue.NULL ignored -> g.writeBooleanField("NULL", true);
            case AttributeValue.L l -> {
                g.writeArrayFieldStart("L");
                for (AttributeValue v : l.values()) {
                    writeValue(g, v);
                }
                g.writeEndArray();
            }
            case AttributeValue.M m -> {
                g.writeFieldName("M");
                writeItem(g, new Item(m.values()));
            }
            case AttributeValue.SS ss -> {
                g.writeArrayFieldStart("SS");
                for (String s : ss.values()) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            case AttributeValue.NS ns -> {
                g.writeArrayFieldStart("NS");
                for (BigDecimal n : ns.values()) {
                    g.writeString(Numbers.format(n));
                }
                g.writeEndArray();
            }
            case AttributeValue.BS bs -> {
                g.writeArrayFieldStart("BS");
                for (Bytes b : bs.values()) {
                    g.writeString(b.toBase64());
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }
}
