package io.jormundb.api.auth;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What SigV4 signs of an HTTP request, as it came: method, path and query string still
 * percent-encoded as sent, headers (names compared case-insensitively) and the body.
 *
 * @param rawQuery the query string as sent, without {@code ?}; {@code null} when none
 * @param body     the body; empty for a GET
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            byte[] body) {
    public SignedRequest {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>())
                .addAll(values));
        headers = lower;
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The values of header {@code name} (lower case), as SigV4 puts them in its canonical headers. */
    List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }
}
