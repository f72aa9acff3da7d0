package io.jormundb.streams.feed;

import java.io.IOException;

/**
 * Where a {@link Feed} writes: an SSE response, an MQTT publisher. Called on the feed's own
 * thread only; may block on I/O. An {@link IOException} ends the feed (the client is gone).
 * Every call carries a resume token: the feed's position once the call is done.
 */
public interface FeedSink {
    /**
     * One change. {@code token} is this feed's token of its position: {@link ChangeEvent#token()}
     * for the all-tables feed, the same position bound to the table for a table's feed.
     */
    void event(ChangeEvent event, String token) throws IOException;

    /** A followed table was deleted; {@code token} is the position of its deletion. */
    void tableDeleted(String tableName, String token) throws IOException;

    /**
     * The reader fell behind the retention window at position {@code token};
     * {@code trimHorizon} is the oldest position it can resume from.
     */
    void expired(String token, String trimHorizon) throws IOException;

    /** Nothing happened for a heartbeat interval; {@code token} is the feed's current position. */
    void heartbeat(String token) throws IOException;

    /** The feed has written what it had for now. */
    void flush() throws IOException;
}
