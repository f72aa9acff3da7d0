package io.jormundb.streams.json;

import io.jormundb.engine.value.AttributeValue;

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
}
