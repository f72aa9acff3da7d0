package io.jormundb.engine.store;

/** Another process already serves the data directory. */
public final class StoreLockedException extends StoreException {
    public StoreLockedException(String message) {
        super(message);
    }
}
