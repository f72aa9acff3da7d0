package io.jormundb.api.http;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request body whole, within a deadline and a size, or says why not with the DynamoDB
 * error to answer (after which the connection is not reused) — 413 for a body larger than allowed (read and dropped up to four
 * times the limit, so that a client that sends it all before reading sees the 413 and not a
 * broken pipe; at once when its Content-Length says more than that), 408 when it did not all arrive within the deadline (a client that trickles it,
 * or stops sending), 400 when its framing is broken (a chunk size {@code zz} or {@code -1}, a
 * chunk extension of 100 KB).
 */
public final class RequestBody {
    private RequestBody() {
    }

    /**
     * The body of {@code request}, at most {@code maxBytes}, all of it within {@code deadline}.
     *
     * @throws DynamoException when it cannot be had (see the class comment)
     * @throws IOException     when the client went away: there is nobody to answer
     */
    public static byte[] read(HttpServletRequest request, int maxBytes, Duration deadline) throws IOException {
        byte[] arrived = arrivedWhole(request, maxBytes);
        if (arrived != null) {
            return arrived;
        }
        EndPoint endPoint = endPoint(request);
        long idle = endPoint == null ? 0 : endPoint.getIdleTimeout();
        if (endPoint != null) {
            // A client that stops sending fails the read at the deadline, not at the idle timeout.
            endPoint.setIdleTimeout(idle > 0 ? Math.min(idle, deadline.toMillis()) : deadline.toMillis());
        }
        try {
            return readWithin(request, maxBytes, System.nanoTime() + deadline.toNanos(), deadline);
        } catch (DynamoException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (e instanceof EofException && !(e instanceof HttpException)) {
                throw e;
            }
            throw refusal(request, e, deadline);
        } finally {
            if (endPoint != null) {
                endPoint.setIdleTimeout(idle);
            }
        }
    }

    /**
     * The body when it is small and already here whole, as most are: read without waiting, so
     * without arming the deadline (setting an end point's idle timeout reschedules its timer, 3%
     * of a PutItem's profile); otherwise {@code null}.
     */
    private static byte[] arrivedWhole(HttpServletRequest request, int maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared < 0 || declared > maxBytes) {
            return null;
        }
        InputStream in = request.getInputStream();
        if (in.available() < declared) {
            return null;
        }
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
    }

    private static byte[] readWithin(HttpServletRequest request, int maxBytes, long endNanos, Duration deadline)
            throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > 4L * maxBytes) {
            // Not worth reading to the end: the answer comes now and the connection closes.
            throw tooLarge(maxBytes);
        }
        InputStream in = request.getInputStream();
        if (declared >= 0 && declared <= maxBytes) {
            // The usual case: a body of a declared length, read straight into one array of that
            // length (no 64 KB buffer and no copy per request).
            byte[] exact = new byte[(int) declared];
            int read = 0;
            for (int n; read < exact.length && (n = in.read(exact, read, exact.length - read)) >= 0; read += n) {
                if (System.nanoTime() - endNanos > 0) {
                    throw timedOut(deadline);
                }
            }
            return read == exact.length ? exact : Arrays.copyOf(exact, read);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (System.nanoTime() - endNanos > 0) {
                throw timedOut(deadline);
            }
            total += n;
            if (total <= maxBytes) {
                body.write(buffer, 0, n);
            } else if (total > 4L * maxBytes) {
                break;
            }
        }
        if (total > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return body.toByteArray();
    }

    private static DynamoException tooLarge(int maxBytes) {
        return new DynamoException(ErrorCode.REQUEST_TOO_LARGE, "Request size exceeds " + maxBytes + " bytes");
    }

    /**
     * What a failed read means: the deadline passed, or the framing is broken. Jetty reports a
     * broken chunk (a size {@code zz}, an endless extension) as the body ending early.
     */
    private static DynamoException refusal(HttpServletRequest request, Exception e, Duration deadline) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return timedOut(deadline);
            }
            if (t instanceof HttpException http) {
                if (http.getCode() == 408) {
                    return timedOut(deadline);
                }
                boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
                return DynamoException.serialization("The request body could not be read: "
                        + (chunked ? "its chunked encoding is broken or it ended early" : "it ended early")
                        + " (" + http.getReason() + ")");
            }
        }
        return DynamoException.serialization("The request body could not be read: " + e.getMessage());
    }

    private static DynamoException timedOut(Duration deadline) {
        return new DynamoException(ErrorCode.REQUEST_TIMEOUT, "The request body did not arrive within "
                + deadline.toMillis() + " ms");
    }

    /** The connection's end point under the servlet request (Javalin wraps it), or {@code null}. */
    private static EndPoint endPoint(ServletRequest request) {
        while (request instanceof ServletRequestWrapper wrapper) {
            request = wrapper.getRequest();
        }
        return request instanceof ServletApiRequest api
                ? api.getRequest().getConnectionMetaData().getConnection().getEndPoint() : null;
    }
}
