package io.jormundb.streams.token;

/** A resume token that is malformed, tampered with, or not for this feed; the message says which. */
public final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message, null, false, false);
    }
}
