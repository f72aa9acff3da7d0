package io.jormundb.streams.json;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Key text of binary keys: base64url, with or without its padding, and nothing else that decodes. */
class KeyTextTest {
    private static final KeyAttribute BINARY = new KeyAttribute("k", "B");

    @Test
    void aBinaryKeyIsBase64urlWithOrWithoutPadding() {
        AttributeValue a = new AttributeValue.B(Bytes.wrap("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals("YQ", KeyText.of(a));
        assertEquals(a, KeyText.parse(BINARY, "YQ"));
        assertEquals(a, KeyText.parse(BINARY, "YQ=="));
        AttributeValue bytes = new AttributeValue.B(Bytes.wrap(new byte[] {(byte) 0xfb, (byte) 0xff}));
        assertEquals(bytes, KeyText.parse(BINARY, KeyText.of(bytes)));
    }

    /**
     * Text the decoder takes for a value whose own text it is not (unused low bits set: YR, YS, YT
     * all decoded to "a") is refused, as "base64 that is not" is: else one item answers to many filters.
     */
    @Test
    void otherTextThatWouldDecodeIsRefused() {
        for (String text : List.of("YR", "YS", "YT", "YR==", "YQ=", "Y", "YQ==YQ", "+/8", "YQ%")) {
            DynamoException e = assertThrows(DynamoException.class, () -> KeyText.parse(BINARY, text), text);
            assertEquals("key k is binary: give it as base64url", e.getMessage(), text);
        }
    }
}
