package io.jormundb.api.sse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.streams.feed.ChangeEvent;
import io.jormundb.streams.feed.Feed;
import io.jormundb.streams.feed.FeedSink;
import io.jormundb.streams.feed.Feeds;
import io.jormundb.streams.feed.TokenExpiredException;
import io.jormundb.streams.token.InvalidTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * {@code GET /changes} and {@code GET /changes/{table}}: the changelog as Server-Sent Events, in
 * commit order. The position is fixed and every parameter validated before the response starts
 * (errors are JSON: 400 InvalidToken, 404 TableNotFound, 410 TokenExpired); then headers and an
 * opening frame ({@code id:} = the start position's token, {@code retry:}) are flushed at once and
 * the request's own virtual thread runs the {@link Feed}, writing every event it has and flushing
 * once when it has no more. Every frame, heartbeats included, carries the feed's position as
 * {@code id:}. Cross-origin access is the server's CORS policy ({@code --cors-origins}).
 */
public final class ChangesEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ChangesEndpoint.class);
    /** How long EventSource waits before reconnecting, in milliseconds. */
    private static final int RETRY_MILLIS = 1000;
    /** The feed's buffers: ours, and Jetty's response buffer behind it (see {@link #serve}). */
    private static final int BUFFER_BYTES = 4 * 1024;

    private final Feeds feeds;
    private final Duration heartbeat;
    private final IntConsumer delivered;

    /** @param delivered told how many change events each flush wrote (metrics) */
    public ChangesEndpoint(Feeds feeds, Duration heartbeat, IntConsumer delivered) {
        this.feeds = feeds;
        this.heartbeat = heartbeat;
        this.delivered = delivered;
    }

    public void allTables(Context ctx) throws IOException {
        serve(ctx, null);
    }

    public void table(Context ctx) throws IOException {
        serve(ctx, ctx.pathParam("table"));
    }

    private void serve(Context ctx, String table) throws IOException {
        String lastEventId = ctx.header("Last-Event-ID");
        String since = lastEventId != null && !lastEventId.isBlank() ? lastEventId.trim() : ctx.queryParam("since");
        Feed feed;
        try {
            feed = feeds.open(table, since, ctx.queryParam("partitionKey"), ctx.queryParam("sortKey"));
        } catch (InvalidTokenException e) {
            error(ctx, 400, "InvalidToken", e.getMessage(), null);
            return;
        } catch (TokenExpiredException e) {
            error(ctx, 410, "TokenExpired", e.getMessage(), e.trimHorizon());
            return;
        } catch (DynamoException e) {
            if (e.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                error(ctx, 404, "TableNotFound", "table " + table + " does not exist", null);
            } else {
                error(ctx, 400, "InvalidParameter", e.getMessage(), null);
            }
            return;
        }
        ctx.status(200);
        ctx.contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        // 4 KB each: with 10,000 subscribers larger buffers cost more memory than the fewer writes
        // save. Jetty holds its response buffer for the whole life of the feed (32 KB by default,
        // off the heap: 320 MB for 10,000 feeds); ours in front of it saves a call into Jetty per
        // piece of a frame.
        ctx.res().setBufferSize(BUFFER_BYTES);
        OutputStream out = new BufferedOutputStream(ctx.res().getOutputStream(), BUFFER_BYTES);
        SseSink sink = new SseSink(out, delivered);
        // The opening frame carries the start position as its id (and no data, so no event is
        // dispatched): an EventSource that reconnects before its first event resumes from here
        // instead of from a new "now", so nothing written while it was away is lost.
        out.write(("id: " + SseSink.clean(feed.token()) + "\nretry: " + RETRY_MILLIS + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            feed.run(sink, heartbeat);
            out.flush();
        } catch (IOException e) {
            LOG.debug("SSE client went away: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void error(Context ctx, int status, String name, String message, String trimHorizon) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", name).put("message", message);
        if (trimHorizon != null) {
            body.put("trimHorizon", trimHorizon);
        }
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /** Writes SSE frames; CR and LF are stripped from {@code id:} and {@code event:} fields. */
    private static final class SseSink implements FeedSink {
        private static final byte[] HEARTBEAT = ": heartbeat\nid: ".getBytes(StandardCharsets.UTF_8);
        private final OutputStream out;
        private final IntConsumer delivered;
        /** Events written since the last flush. */
        private int written;

        SseSink(OutputStream out, IntConsumer delivered) {
            this.out = out;
            this.delivered = delivered;
        }

        @Override
        public void event(ChangeEvent event, String token) throws IOException {
            frame(token, event.record().eventName().name(), event.json());
            written++;
        }

        @Override
        public void tableDeleted(String tableName, String token) throws IOException {
            ObjectNode data = JsonNodeFactory.instance.objectNode().put("tableName", tableName);
            frame(token, "table-deleted", data.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void expired(String token, String trimHorizon) throws IOException {
            ObjectNode data = JsonNodeFactory.instance.objectNode()
                    .put("error", "TokenExpired")
                    .put("message", "this feed fell behind the changelog retention; resume from trimHorizon")
                    .put("trimHorizon", trimHorizon);
            frame(token, "expired", data.toString().getBytes(StandardCharsets.UTF_8));
        }

        /** A comment and the feed's position as {@code id:} (no data, so no event is dispatched). */
        @Override
        public void heartbeat(String token) throws IOException {
            out.write(HEARTBEAT);
            out.write((clean(token) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
            if (written > 0) {
                delivered.accept(written);
                written = 0;
            }
        }

        private void frame(String id, String eventName, byte[] data) throws IOException {
            out.write(("id: " + clean(id) + "\nevent: " + clean(eventName) + "\ndata: ").getBytes(StandardCharsets.UTF_8));
            out.write(data);
            out.write('\n');
            out.write('\n');
        }

        private static String clean(String field) {
            return field.replace("\r", "").replace("\n", "");
        }
    }
}
