package io.jormundb.api.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.jormundb.engine.error.DynamoException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * A request's framing, checked before any handler runs (docs/limits.md, "broken framing"):
 * <ul>
 *   <li>Transfer-Encoding is {@code chunked}, once, or absent. Jetty read {@code gzip, chunked},
 *   or {@code foo} then {@code chunked}, as chunked and served the request, where a proxy in
 *   front may read the same bytes otherwise (request smuggling). Refused, the connection closed.</li>
 *   <li>Off {@code /} (whose handler reads its body with its own limits and deadline) no endpoint
 *   takes a body: one sent is read and dropped first, at most {@value #MAX_OTHER_BODY} bytes, so
 *   that one of broken framing is refused before its handler runs, not after (a checkpoint was
 *   taken, a feed opened, and then the connection closed on the body).</li>
 * </ul>
 * A refusal is the endpoint's error shape ({@link HttpErrors}): 400, or 408/413 for a body that
 * does not arrive in time or is too large.
 */
public final class Framing {
    static final int MAX_OTHER_BODY = 64 * 1024;

    private Framing() {
    }

    /** Checks every request's framing first; bodies off {@code /} must arrive within {@code bodyDeadline}. */
    public static void install(JavalinConfig cfg, Duration bodyDeadline) {
        cfg.routes.before(ctx -> check(ctx, bodyDeadline));
    }

    private static void check(Context ctx, Duration bodyDeadline) throws IOException {
        List<String> codings = transferCodings(ctx);
        if (!codings.isEmpty() && !codings.equals(List.of("chunked"))) {
            ctx.header("Connection", "close");
            throw new HttpResponseException(400, "Transfer-Encoding " + String.join(", ", codings)
                    + " is not supported: send the body with a Content-Length, or chunked");
        }
        if (!ctx.path().equals("/") && (!codings.isEmpty() || ctx.req().getContentLengthLong() > 0)) {
            try {
                RequestBody.read(ctx.req(), MAX_OTHER_BODY, bodyDeadline);
            } catch (DynamoException refused) {
                ctx.header("Connection", "close");
                throw new HttpResponseException(refused.code().httpStatus(), refused.getMessage());
            }
        }
    }

    /** The codings of the request's Transfer-Encoding headers, in order, lower case. */
    private static List<String> transferCodings(Context ctx) {
        if (ctx.req().getHeader("Transfer-Encoding") == null) {
            return List.of(); // most requests: nothing to split or collect
        }
        List<String> codings = new ArrayList<>();
        for (Enumeration<String> headers = ctx.req().getHeaders("Transfer-Encoding"); headers.hasMoreElements(); ) {
            for (String coding : headers.nextElement().split(",")) {
                String name = coding.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    codings.add(name);
                }
            }
        }
        return codings;
    }
}
