package io.jormundb.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.jormundb.api.dynamo.Access;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code --auth} on the HTTP port: who may call {@code POST /} (SigV4 in the Authorization
 * header, as the SDKs and the CLI sign), follow a feed ({@code GET /changes}, {@code /changes/{table}}:
 * a presigned URL, or a signed header), read {@code /metrics} and use {@code /admin/*} (either
 * of those, or HTTP Basic with a key id and its secret, for scrapers that cannot sign).
 * {@code GET /}, {@code /health} and the console page (which holds no data; it follows the
 * presigned feed URL it is given) stay open. Thread-safe.
 */
public final class HttpAuth {
    private final SigV4 sigV4;
    private final Credentials credentials;
    private final OperationAccess operations;

    /** @param iteratorTable the table a shard iterator reads (GetRecords' access check) */
    public HttpAuth(Credentials credentials, Clock clock, Function<String, Optional<String>> iteratorTable) {
        this.credentials = credentials;
        this.sigV4 = new SigV4(credentials, clock);
        this.operations = new OperationAccess(iteratorTable);
    }

    /** Whether {@link #dynamo} knows what {@code operation} reads or writes (every served one must). */
    public static boolean classifies(String operation) {
        return OperationAccess.CLASSIFIED.contains(operation);
    }

    /**
     * The access of one {@code POST /} request whose body is {@code body}: signed in its
     * {@code Authorization} header, as the SDKs sign (a presigned query string, which may be valid
     * for a week, is for the feeds' URLs, which a browser cannot sign).
     */
    public Access dynamo(Context ctx, byte[] body) {
        SigV4.Signed signed;
        try {
            if (ctx.header("Authorization") == null) {
                throw new DynamoException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
            }
            signed = sigV4.verify(request(ctx, body));
        } catch (DynamoException e) {
            return refused(e);
        }
        return new Access() {
            @Override
            public void authenticate() {
            }

            @Override
            public void authorize(String operation, JsonNode json, String region) {
                operations.authorize(signed.key(), operation, json, region);
            }

            @Override
            public boolean mayList(String table) {
                return signed.key().mayRead(table);
            }
        };
    }

    private static Access refused(DynamoException e) {
        return new Access() {
            @Override
            public void authenticate() {
                throw e;
            }

            @Override
            public void authorize(String operation, JsonNode body, String region) {
                throw e;
            }
        };
    }

    /**
     * {@code handler} of a feed, for a key that may read {@code table} (the path's
     * {@code {table}}; the all-tables feed needs a key that may read every table).
     */
    public Handler feed(Handler handler) {
        return ctx -> {
            String table = ctx.pathParamMap().get("table");
            AccessKey key = signer(ctx, false);
            if (key != null) {
                if (key.mayRead(table)) {
                    handler.handle(ctx);
                } else {
                    deny(ctx, "read the changes of " + (table == null ? "every table (GET /changes); use "
                            + "/changes/{table} for a table the key may read" : "table " + table), key);
                }
            }
        };
    }

    /** {@code handler} for any key ({@code /metrics}), signed or by HTTP Basic. */
    public Handler anyKey(Handler handler) {
        return ctx -> {
            if (signer(ctx, true) != null) {
                handler.handle(ctx);
            }
        };
    }

    /** {@code handler} for a key that may write every table ({@code /admin/*}), signed or by HTTP Basic. */
    public Handler admin(Handler handler) {
        return ctx -> {
            AccessKey key = signer(ctx, true);
            if (key != null) {
                if (key.mayWrite(null)) {
                    handler.handle(ctx);
                } else {
                    deny(ctx, "use " + ctx.path() + " (it needs a key that may write every table)", key);
                }
            }
        };
    }

    /** The key that signed the request, or {@code null} once the refusal is answered. */
    private AccessKey signer(Context ctx, boolean basicToo) {
        String authorization = ctx.header("Authorization");
        try {
            if (basicToo && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return basic(authorization.substring(6).trim());
            }
            return sigV4.verify(request(ctx, new byte[0])).key();
        } catch (DynamoException e) {
            int status = e.code() == ErrorCode.MISSING_AUTHENTICATION_TOKEN ? 401 : 403;
            if (basicToo && status == 401) {
                ctx.header("WWW-Authenticate", "Basic realm=\"jormundb\"");
            }
            error(ctx, status, e.code().wireName(), e.getMessage());
            return null;
        }
    }

    /** HTTP Basic: {@code base64(<access key id>:<secret>)}, both compared in constant time. */
    private AccessKey basic(String encoded) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            pair = "";
        }
        int colon = pair.indexOf(':');
        Optional<AccessKey> key = colon < 0 ? Optional.empty() : credentials.key(pair.substring(0, colon));
        byte[] given = (colon < 0 ? "" : pair.substring(colon + 1)).getBytes(StandardCharsets.UTF_8);
        if (key.isEmpty() || !MessageDigest.isEqual(key.get().secretBytes(), given)) {
            throw new DynamoException(ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is "
                    + "invalid.");
        }
        return key.get();
    }

    private static void deny(Context ctx, String what, AccessKey key) {
        error(ctx, 403, ErrorCode.ACCESS_DENIED.wireName(), "User: " + key.userArn() + " is not authorized to " + what);
    }

    private static void error(Context ctx, int status, String name, String message) {
        ctx.status(status).contentType("application/json")
                .result(JsonNodeFactory.instance.objectNode().put("error", name).put("message", message).toString());
    }

    /** What SigV4 signed of the request: method, path and query as sent, headers, body. */
    private static SignedRequest request(Context ctx, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
        }
        return new SignedRequest(ctx.req().getMethod(), ctx.req().getRequestURI(), ctx.req().getQueryString(), headers,
                body);
    }
}
