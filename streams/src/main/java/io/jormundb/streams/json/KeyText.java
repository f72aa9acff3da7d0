package io.jormundb.streams.json;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;

import java.util.Base64;

/**
 * The text of a key value in SSE filters and MQTT topics: S as is, N in DynamoDB's normal form
 * ({@code 7}, not {@code 7.0}), B as base64url without padding.
 */
public final class KeyText {
    private KeyText() {
    }

    public static String of(AttributeValue key) {
        return switch (key) {
            case AttributeValue.S s -> s.value();
            case AttributeValue.N n -> n.text();
            case AttributeValue.B b -> Base64.getUrlEncoder().withoutPadding().encodeToString(b.value().toArray());
            default -> throw new IllegalArgumentException("not a key type: " + key.type());
        };
    }

    /**
     * The value of key attribute {@code key} that {@code text} names.
     *
     * @throws DynamoException a ValidationException when {@code text} is not a value of the key's type
     */
    public static AttributeValue parse(KeyAttribute key, String text) {
        if (text.isEmpty()) {
            throw DynamoException.validation("key " + key.name() + " cannot be empty: no item has an empty key value");
        }
        AttributeValue value = switch (key.type()) {
            case "S" -> new AttributeValue.S(text);
            case "N" -> AttributeValue.N.parse(text);
            default -> {
                byte[] bytes;
                try {
                    bytes = Base64.getUrlDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    bytes = null;
                }
                // The decoder ignores unused low bits (YQ, YR and YT all decode to "a"): only the
                // value's own text is taken, with its padding or without.
                if (bytes == null || !Base64.getUrlEncoder().encodeToString(bytes).equals(text)
                        && !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
                    throw DynamoException.validation("key " + key.name() + " is binary: give it as base64url");
                }
                yield new AttributeValue.B(Bytes.wrap(bytes));
            }
        };
        if (value instanceof AttributeValue.B b && b.value().length() == 0) {
            throw DynamoException.validation("key " + key.name() + " cannot be empty: no item has an empty key value");
        }
        return value;
    }
}
