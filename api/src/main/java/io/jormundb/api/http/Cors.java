package io.jormundb.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-origin access for browsers, on every endpoint (the DynamoDB API, the feeds, health,
 * metrics), as DynamoDB answers it: an allowed origin (from {@code --cors-origins}, {@code *} for
 * any) gets {@code Access-Control-Allow-Origin} on every answer, with the SDKs' response headers
 * exposed, and its preflight {@code OPTIONS} is answered with the methods and the headers the AWS
 * SDKs send. A preflight from an origin that is not allowed is answered 403 with a JSON error.
 */
public final class Cors {
    /** What the AWS SDKs (v2, v3, the browser SDK) and EventSource send; echoed only when asked for. */
    static final String ALLOWED_HEADERS = "Content-Type, X-Amz-Target, X-Amz-Date, Authorization, "
            + "X-Amz-Security-Token, X-Amz-User-Agent, X-Amz-Content-Sha256, amz-sdk-invocation-id, amz-sdk-request, "
            + "Last-Event-ID, Cache-Control";
    static final String EXPOSED_HEADERS = "x-amzn-RequestId, x-amz-crc32, x-amz-id-2, Date";
    private static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    private static final Pattern HEADER_LIST = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*");
    private static final Pattern ORIGIN = Pattern.compile("https?://[^/\\s]+");

    private final boolean anyOrigin;
    private final Set<String> origins;

    /** @param origins {@code *}, or origins such as {@code https://app.example.com} */
    public Cors(List<String> origins) {
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    /** Whether {@code value} is a valid {@code --cors-origins} entry. */
    public static boolean validOrigin(String value) {
        return value.equals("*") || ORIGIN.matcher(value).matches();
    }

    /** Adds the CORS headers of an ordinary answer (before its handler runs). */
    public void answer(Context ctx) {
        String origin = ctx.header("Origin");
        if (anyOrigin) {
            // Also without an Origin header: a cached answer then serves every page alike.
            ctx.header("Access-Control-Allow-Origin", "*");
        } else if (origin != null && origins.contains(origin)) {
            allowOrigin(ctx, origin);
        } else {
            // The answer depends on the origin all the same: a shared cache must not serve it to another.
            ctx.header("Vary", "Origin");
            return;
        }
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }

    /** Answers a preflight {@code OPTIONS}. */
    public void preflight(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !allows(origin)) {
            ctx.status(403).contentType("application/json").result(JsonNodeFactory.instance.objectNode()
                    .put("error", "CorsOriginNotAllowed")
                    .put("message", "origin " + origin + " is not in --cors-origins").toString());
            return;
        }
        if (origin != null) {
            allowOrigin(ctx, origin);
        }
        String requested = ctx.header("Access-Control-Request-Headers");
        ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
        ctx.header("Access-Control-Allow-Headers",
                requested != null && HEADER_LIST.matcher(requested.trim()).matches() ? requested.trim() : ALLOWED_HEADERS);
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(200);
    }

    private boolean allows(String origin) {
        return anyOrigin || origins.contains(origin);
    }

    private void allowOrigin(Context ctx, String origin) {
        if (anyOrigin) {
            ctx.header("Access-Control-Allow-Origin", "*");
        } else {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
    }
}
