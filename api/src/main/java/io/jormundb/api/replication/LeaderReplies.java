package io.jormundb.api.replication;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A follower's words for what went wrong with its leader, one line each: a leader's own refusal
 * as it gave it (a short JSON error), anything else as what it most likely means (the URL is not a
 * JormunDB's, nothing listens there), never a whole page of someone else's HTML.
 */
final class LeaderReplies {
    private static final int MAX_BODY_CHARS = 300;

    private LeaderReplies() {
    }

    /** An answer other than 200: its status and, when it is a JormunDB's error, its text. */
    static String refusal(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{") && text.contains("\"error\"") && text.length() <= MAX_BODY_CHARS) {
            return "HTTP " + status + " " + text;
        }
        return "HTTP " + status + ", not a JormunDB's answer: is --follow the leader's HTTP URL "
                + "(http://host:port of its --port)?";
    }

    /** Why a connection to the leader failed. */
    static String reason(IOException e) {
        if (e instanceof ConnectException) {
            return "nothing answers there (connection refused): is the leader running, and is --follow its URL?";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
