package io.jormundb.engine.store;

/**
 * RocksDB cannot write now for a cause that passes: the disk is full, the process has no file
 * descriptors left, an I/O error. The store recovers on its own once the cause is gone (see
 * {@link Store#unavailable()}); until then every write fails with this, and a client may retry.
 */
public final class StoreUnavailableException extends StoreException {
    private final String reason;

    StoreUnavailableException(String reason, Throwable cause) {
        super("storage unavailable: " + reason, cause);
        this.reason = reason;
    }

    /** What stops writes, in words a person can act on ({@code the disk is full}). */
    public String reason() {
        return reason;
    }
}
