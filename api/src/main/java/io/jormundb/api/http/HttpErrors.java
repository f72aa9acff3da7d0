package io.jormundb.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.InternalRouter;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Stream;

/**
 * The JSON of every error the HTTP layer answers itself (Jetty's parser, Javalin's router, a
 * deadline, a body that cannot be read), in the shape of the endpoint asked: DynamoDB's
 * {@code {"__type": "com.amazonaws.dynamodb.v20120810#<Type>", "message": …}} on {@code /} (and
 * for a request too broken to have a path: an SDK is the likeliest sender), the feeds'
 * {@code {"error": "<Name>", "message": …}} on every other path. Never HTML, never a stack trace;
 * the message is {@link ErrorMessages#capped capped}.
 */
public final class HttpErrors {
    public static final String DYNAMODB_TYPE_PREFIX = "com.amazonaws.dynamodb.v20120810#";
    public static final String DYNAMODB_CONTENT_TYPE = "application/x-amz-json-1.0";
    public static final String FEED_CONTENT_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** Which of the two error shapes a path answers in. */
    public enum Shape {
        DYNAMODB, FEED;

        /** DynamoDB's on {@code /} or no path at all, the feeds' on any other. */
        public static Shape of(String path) {
            return path == null || path.isEmpty() || path.equals("/") ? DYNAMODB : FEED;
        }

        public String contentType() {
            return this == DYNAMODB ? DYNAMODB_CONTENT_TYPE : FEED_CONTENT_TYPE;
        }
    }

    /**
     * Makes every error of the server JSON: Jetty's own ({@link JsonErrorHandler}), Javalin's 404
     * and 405 for paths and methods it does not serve, and a server fault that escapes a handler
     * (logged; a 500 that names no internals; a 503 naming the cause when the store cannot serve now).
     */
    public static void install(JavalinConfig cfg) {
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() != 404) {
                answer(ctx, e.getStatus(), e.getMessage());
            } else if (servedWithAnotherMethod(cfg, ctx.path())) {
                answer(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()
                        + (ctx.path().equals("/") ? ": the DynamoDB API takes POST" : ""));
            } else {
                answer(ctx, 404, "Nothing is served at " + ctx.method() + " " + ctx.path() + ": the DynamoDB API is "
                        + "POST /, the change feeds are GET /changes and GET /changes/{table}");
            }
        });
        cfg.routes.exception(StoreUnavailableException.class, (e, ctx) ->
                answer(ctx, 503, "JormunDB cannot serve this now: " + e.reason()
                        + ". It recovers on its own once the cause is gone; retry the request."));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "Internal server error; see the server log");
        });
    }

    /**
     * Whether some method other than OPTIONS (which CORS answers on every path) is routed at
     * {@code path}. Javalin's own 405 cannot tell, because of that OPTIONS route; its router
     * (set once the server started) can.
     */
    private static boolean servedWithAnotherMethod(JavalinConfig cfg, String path) {
        InternalRouter router = cfg.unsafe.internalRouter;
        return Stream.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH)
                .anyMatch(method -> router.hasHttpHandlerEntry(method, path));
    }

    /** Answers {@code ctx} with an error in the shape of its path. */
    public static void answer(Context ctx, int status, String message) {
        Shape shape = Shape.of(ctx.path());
        ctx.status(status).contentType(shape.contentType()).result(body(shape, status, message));
    }

    /** The body of an error with HTTP status {@code status} in {@code shape}. */
    public static byte[] body(Shape shape, int status, String message) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (shape == Shape.DYNAMODB) {
            out.put("__type", DYNAMODB_TYPE_PREFIX + dynamoType(status));
        } else {
            out.put("error", feedName(status));
        }
        out.put("message", ErrorMessages.capped(message));
        try {
            return JSON.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render an error", e);
        }
    }

    /**
     * The DynamoDB error type of a status: what DynamoDB answers a body it cannot read with
     * (SerializationException), a request it has no operation for (UnknownOperationException),
     * and the names the SDKs retry for a timeout or an unavailable server.
     */
    static String dynamoType(int status) {
        return (switch (status) {
            case 400 -> ErrorCode.SERIALIZATION;
            case 404, 405 -> ErrorCode.UNKNOWN_OPERATION;
            case 408 -> ErrorCode.REQUEST_TIMEOUT;
            case 413 -> ErrorCode.REQUEST_TOO_LARGE;
            case 414 -> ErrorCode.REQUEST_URI_TOO_LONG;
            case 431 -> ErrorCode.REQUEST_HEADERS_TOO_LARGE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.VALIDATION;
        }).wireName();
    }

    static String feedName(int status) {
        return switch (status) {
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "RequestTimeout";
            case 413 -> "PayloadTooLarge";
            case 414 -> "UriTooLong";
            case 431 -> "RequestHeaderFieldsTooLarge";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalServerError" : "BadRequest";
        };
    }
}
