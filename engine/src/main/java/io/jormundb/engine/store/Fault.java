package io.jormundb.engine.store;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.util.Locale;

/**
 * Sorts RocksDB's failures into the ones that pass (a full disk, no descriptors left, another
 * I/O error: RocksDB stops writing until the cause is gone and it is reopened) and the ones that
 * do not (corruption, a bug), and names the passing ones in words an operator can act on.
 */
final class Fault {
    private Fault() {
    }

    /** Why writes stop, or {@code null} when {@code e} is not a failure that passes. */
    static String passing(RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        Status status = e.getStatus();
        boolean ioError = status != null ? status.getCode() == Status.Code.IOError : lower.startsWith("io error");
        if (lower.contains("no space left on device") || status != null && status.getSubCode() == Status.SubCode.NoSpace) {
            return "the disk holding the data directory is full (No space left on device)";
        }
        if (lower.contains("too many open files")) {
            return "the server has no file descriptors left (Too many open files): raise its limit (ulimit -n) "
                    + "or lower --max-connections and --mqtt-max-connections";
        }
        return ioError ? "storage I/O error (" + message + ")" : null;
    }
}
