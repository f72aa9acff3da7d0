package io.jormundb.streams.feed;

import java.io.IOException;

/**
 * Where a {@link Feed} writes: an SSE response, an MQTT publisher. Called on the feed's own
 * thread only; may block on I/O. An {@link IOException} ends the feed (the client is gone).
 */
public interface FeedSink {
    /** One change, with the reader's resume token just past it. */
    void event(ChangeEvent event, String token) throws IOException;

    /** The followed table was deleted; {@code token} is the position reached. */
    void tableDeleted(String tableName, String token) throws IOException;

    /**
     * The reader fell behind the retention window at position {@code token};
     * {@code trimHorizon} is the oldest position kept.
     */
    void expired(String token, String trimHorizon) throws IOException;

    /** Nothing happened for a heartbeat interval. */
    void heartbeat() throws IOException;

    /** The feed has written what it had for now. */
    void flush() throws IOException;
}
