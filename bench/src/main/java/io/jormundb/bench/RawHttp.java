package io.jormundb.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends prebuilt DynamoDB requests and reads their
 * answers, like wrk does: no SDK, no signing, no JSON on the client side, so the numbers are the
 * server's. Handles Content-Length and chunked answers. Not thread-safe: one per load thread.
 */
final class RawHttp implements AutoCloseable {
    /** A fixed SigV4-shaped header: the servers under test check its form, not its signature. */
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/"
            + "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
            + "0000000000000000000000000000000000000000000000000000000000000000";

    /** What the server answered. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final URI endpoint;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] head;

    RawHttp(URI endpoint) throws IOException {
        this.endpoint = endpoint;
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 10_000);
        socket.setSoTimeout(60_000);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.head = ("Host: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\n"
                + "X-Amz-Date: 20260101T000000Z\r\n"
                + "Authorization: " + AUTHORIZATION + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A request's bytes, built once: POST / with {@code X-Amz-Target: DynamoDB_20120810.<operation>}. */
    static byte[] dynamo(String operation, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] start = ("POST / HTTP/1.1\r\nX-Amz-Target: DynamoDB_20120810." + operation + "\r\nContent-Length: "
                + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[start.length + body.length];
        System.arraycopy(start, 0, out, 0, start.length);
        System.arraycopy(body, 0, out, start.length, body.length);
        return out;
    }

    /**
     * Sends a request made by {@link #dynamo} (its first line and own headers, then this
     * connection's shared headers, then the body) and reads the answer.
     */
    Response send(byte[] request) throws IOException {
        int bodyStart = indexOfBodyStart(request);
        out.write(request, 0, bodyStart);
        out.write(head);
        out.write('\r');
        out.write('\n');
        out.write(request, bodyStart, request.length - bodyStart);
        out.flush();
        return read();
    }

    /** {@code GET path}. */
    Response get(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = -1;
        boolean chunked = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
            return new Response(code, body.toByteArray());
        }
        byte[] body = length < 0 ? new byte[0] : in.readNBytes(length);
        if (body.length < Math.max(length, 0)) {
            throw new EOFException("connection closed in an answer");
        }
        return new Response(code, body);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Where the blank line before the body would go: after the request's own header lines. */
    private static int indexOfBodyStart(byte[] request) {
        int lines = 0;
        for (int i = 0; i < request.length; i++) {
            if (request[i] == '\n' && ++lines == 3) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("not a request made by RawHttp.dynamo");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
