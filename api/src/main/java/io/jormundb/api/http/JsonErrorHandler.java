package io.jormundb.api.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's error pages as JSON ({@link HttpErrors}): what Jetty answers before a request reaches
 * the application — a request line it cannot parse (400), headers too large (431), a URI too
 * long (414), bad framing — in the shape of the path asked, whatever the client accepts and
 * whatever the method. A request line of another HTTP version (Jetty's 505) is the client's
 * fault like any other unreadable request: a 400.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        HttpErrors.Shape shape = HttpErrors.Shape.of(path(request));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, shape.contentType());
        String reason = message == null || message.isBlank() ? "the request could not be read" : message;
        int status = code;
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            status = HttpStatus.BAD_REQUEST_400;
            reason += ": send HTTP/1.1";
            response.setStatus(status);
        }
        response.write(true, ByteBuffer.wrap(HttpErrors.body(shape, status, "Bad HTTP request: " + reason)), callback);
    }

    /** The path asked, or {@code null} for Jetty's stand-in request of a message it could not parse. */
    private static String path(Request request) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        return "/badMessage".equals(path) ? null : path;
    }
}
