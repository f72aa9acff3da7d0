package io.jormundb.streams.feed;

/** A resume position older than retention; {@link #trimHorizon} is the oldest position still kept. */
public final class TokenExpiredException extends RuntimeException {
    private final String trimHorizon;

    public TokenExpiredException(String trimHorizon) {
        super("resume token is older than the changelog retention; the oldest position still available is "
                + "given as trimHorizon", null, false, false);
        this.trimHorizon = trimHorizon;
    }

    public String trimHorizon() {
        return trimHorizon;
    }
}
