package io.jormundb.engine.store;

/** RocksDB failed (disk full, I/O error): a server error, never the client's fault. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
