package io.jormundb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tests' one client of {@code GET /changes…}: reads the stream as EventSource does (WHATWG
 * parsing: {@code id:}, {@code event:}, {@code data:}, comments, and the last event ID, which an
 * id-only frame also sets). A request that is refused keeps its status and JSON error instead.
 * {@link #close()} drops the connection, as a browser that goes away does.
 */
public final class EventStream implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stream delivered: an event, a comment (heartbeat), or its end. */
    public sealed interface Frame permits Event, Comment, End {
    }

    /** One dispatched event: {@code id:} (the resume token), {@code event:} and {@code data:}. */
    public record Event(String id, String name, String data) implements Frame {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String table() {
            return json().path("tableName").asText();
        }

        public int partition() {
            return json().path("partition").asInt();
        }

        public long sequence() {
            return json().path("sequence").asLong();
        }

        /** The record's commit position (commitVersion, commitIndex), as {@code v.i}. */
        public String position() {
            JsonNode j = json();
            return j.path("commitVersion").asLong() + "." + j.path("commitIndex").asInt();
        }

        public long commitVersion() {
            return json().path("commitVersion").asLong();
        }

        public int commitIndex() {
            return json().path("commitIndex").asInt();
        }

        /** The resume token inside the record (the same for every reader of it). */
        public String token() {
            return json().path("token").asText();
        }

        /** A string attribute of the new image, or of the old one for a REMOVE. */
        public String attribute(String name) {
            JsonNode d = json().path("dynamodb");
            JsonNode image = d.has("NewImage") ? d.path("NewImage") : d.path("OldImage");
            return image.path(name).path("S").asText(null);
        }

        /** The record's {@code dynamodb.OldImage} (missing when it has none). */
        public JsonNode oldImage() {
            return json().path("dynamodb").path("OldImage");
        }

        /** The record's {@code dynamodb.NewImage} (missing when it has none). */
        public JsonNode newImage() {
            return json().path("dynamodb").path("NewImage");
        }

        /** The key attributes' values joined by '/', e.g. {@code a/7}. */
        public String keyText() {
            List<String> parts = new ArrayList<>();
            json().path("dynamodb").path("Keys").properties()
                    .forEach(e -> parts.add(e.getValue().elements().next().asText()));
            return String.join("/", parts);
        }
    }

    /** A comment line ({@code : heartbeat}); {@code nanos} is when it arrived. */
    public record Comment(String text, long nanos) implements Frame {
    }

    /** The server ended the response. */
    public record End() implements Frame {
    }

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final JsonNode error;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private volatile String lastEventId = "";

    private EventStream(Socket socket, int status, Map<String, String> headers, InputStream body) throws IOException {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        if (status == 200) {
            this.error = null;
            Thread.ofVirtual().name("event-stream-reader").start(() -> read(body));
        } else {
            this.error = JSON.readTree(body.readAllBytes());
            socket.close();
        }
    }

    /**
     * {@code GET uri} over a plain HTTP/1.1 socket (so that {@link #close()} really drops the
     * connection), with {@code Accept: text/event-stream} and the given headers (name, value, …).
     */
    public static EventStream open(URI uri, String... headers) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) WAIT.toMillis());
            StringBuilder request = new StringBuilder("GET " + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\nAccept: text/event-stream\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                responseHeaders.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            }
            InputStream body = "chunked".equalsIgnoreCase(responseHeaders.get("Transfer-Encoding"))
                    ? new Chunked(in)
                    : responseHeaders.containsKey("Content-Length")
                    ? new ByteArrayInputStream(in.readNBytes(Integer.parseInt(responseHeaders.get("Content-Length"))))
                    : in;
            return new EventStream(socket, status, responseHeaders, body);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Already failing.
            }
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code count} events of a stream that must be accepted; then it drops the connection. */
    public static List<Event> firstEvents(URI uri, int count) {
        try (EventStream stream = connect(uri)) {
            return stream.next(count);
        }
    }

    /** Opens a stream that must be accepted. */
    public static EventStream connect(URI uri, String... headers) {
        EventStream s = open(uri, headers);
        assertEquals(200, s.status(), () -> "refused: " + s.error());
        return s;
    }

    public int status() {
        return status;
    }

    /** The JSON error of a refused request. */
    public JsonNode error() {
        return error;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The last event ID so far, as EventSource keeps it (what it would send as Last-Event-ID). */
    public String lastEventId() {
        return lastEventId;
    }

    /** The next event, skipping comments; fails when none comes in time or the stream ends. */
    public Event next() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Frame f = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            switch (f) {
                case Event e -> {
                    return e;
                }
                case Comment ignored -> {
                }
                case End ignored -> fail("the stream ended while an event was expected");
                case null -> fail("no event within " + WAIT);
            }
        }
    }

    public List<Event> next(int n) {
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** The next {@code n} events and no more: {@link #next(int)}, then {@link #assertNoMoreEvents()}. */
    public List<Event> exactly(int n) {
        List<Event> events = next(n);
        assertNoMoreEvents();
        return events;
    }

    /**
     * Asserts that no further event comes: the next heartbeat sent after this call (the feed has
     * had nothing to send for a heartbeat interval) arrives before any event.
     */
    public void assertNoMoreEvents() {
        long since = System.nanoTime();
        while (true) {
            Frame f = poll(WAIT);
            switch (f) {
                case Event e -> fail("unexpected event " + e);
                case Comment c -> {
                    if (c.nanos() > since) {
                        return;
                    }
                }
                case End ignored -> fail("the stream ended while a heartbeat was expected");
                case null -> fail("no heartbeat within " + WAIT);
            }
        }
    }

    /**
     * The events that come until the feed is quiet: a heartbeat arrives after the last of them
     * (the feed had nothing more to send for a heartbeat interval).
     */
    public List<Event> eventsUntilQuiet() {
        List<Event> out = new ArrayList<>();
        long since = System.nanoTime();
        while (true) {
            Frame f = poll(WAIT);
            switch (f) {
                case Event e -> {
                    out.add(e);
                    since = System.nanoTime();
                }
                case Comment c -> {
                    if (c.nanos() > since) {
                        return out;
                    }
                }
                case End ignored -> fail("the stream ended while a heartbeat was expected");
                case null -> fail("no heartbeat within " + WAIT);
            }
        }
    }

    /** Every event until the server ends the response; fails when it does not end in time. */
    public List<Event> eventsUntilEnd() {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Frame f = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            switch (f) {
                case Event e -> out.add(e);
                case Comment ignored -> {
                }
                case End ignored -> {
                    return out;
                }
                case null -> fail("the stream did not end within " + WAIT + "; events so far: " + out.size());
            }
        }
    }

    /** Waits until the server ends the response, failing on any event before that. */
    public void assertEnds() {
        while (true) {
            Frame f = poll(WAIT);
            switch (f) {
                case Event e -> fail("unexpected event " + e);
                case Comment ignored -> {
                }
                case End ignored -> {
                    return;
                }
                case null -> fail("the stream did not end within " + WAIT);
            }
        }
    }

    private Frame poll(Duration wait) {
        try {
            return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read(InputStream body) {
        String id = lastEventId;
        String name = "";
        StringBuilder data = null;
        String comment = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    lastEventId = id;
                    if (data != null) {
                        frames.add(new Event(id, name.isEmpty() ? "message" : name, data.toString()));
                    }
                    if (comment != null) {
                        // Handed over once its frame is complete, so the frame's id: is the last event ID by then.
                        frames.add(new Comment(comment, System.nanoTime()));
                    }
                    name = "";
                    data = null;
                    comment = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comment = line.substring(1).trim();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // Closed by the test, or the server went away: either way the stream has ended.
        }
        frames.add(new End());
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed either way.
        }
    }

    /** One CRLF-terminated header line, without the CRLF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed in the response head");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /**
     * A chunked response body. The CRLF that ends a chunk is read only when the next chunk is:
     * the server sends it along with that next chunk, so waiting for it would hold back the data
     * already received until the next write.
     */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private int left;
        private boolean inBody;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                if (inBody) {
                    line(in);
                }
                inBody = true;
                String size = line(in);
                left = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed in a chunk");
            }
            left -= n;
            return n;
        }
    }

    /** The feed of one table on {@code endpoint}: {@code /changes/{table}?k=v&…}, values encoded. */
    public static URI changes(URI endpoint, String table, Map<String, String> params) {
        return query(endpoint, "/changes/" + table, params);
    }

    /** The feed of every table on {@code endpoint}: {@code /changes?k=v&…}, values encoded. */
    public static URI changes(URI endpoint, Map<String, String> params) {
        return query(endpoint, "/changes", params);
    }

    private static URI query(URI base, String path, Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return base.resolve(path + q);
    }
}
