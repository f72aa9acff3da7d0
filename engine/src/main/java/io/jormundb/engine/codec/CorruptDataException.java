package io.jormundb.engine.codec;

/**
 * Stored bytes that do not decode. Never a client's fault: it means the database files are
 * damaged or were written by an incompatible version, and the api answers it as a server error.
 */
public final class CorruptDataException extends RuntimeException {
    public CorruptDataException(String message) {
        super(message);
    }
}
