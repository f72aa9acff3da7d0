package io.jormundb.engine.store;

import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which RocksDB failures pass (and stop writes until the store reopens) and how they are named. */
class FaultTest {
    @Test
    void aFullDiskIsNamedAsSuch() {
        RocksDBException e = new RocksDBException("IO error: No space left on device: While appending to file: "
                + "/data/db/000004.log: No space left on device",
                new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device"));
        assertEquals("the disk holding the data directory is full (No space left on device)", Fault.passing(e));
    }

    @Test
    void runningOutOfDescriptorsSaysWhatToRaise() {
        RocksDBException e = new RocksDBException("IO error: While open a file for appending: /data/db/000012.log: "
                + "Too many open files", new Status(Status.Code.IOError, Status.SubCode.None, null));
        assertTrue(Fault.passing(e).startsWith("the server has no file descriptors left (Too many open files): "
                + "raise its limit (ulimit -n)"), Fault.passing(e));
    }

    @Test
    void anotherIoErrorPassesToo() {
        RocksDBException e = new RocksDBException("IO error: Input/output error",
                new Status(Status.Code.IOError, Status.SubCode.None, null));
        assertEquals("storage I/O error (IO error: Input/output error)", Fault.passing(e));
    }

    @Test
    void corruptionDoesNotPass() {
        RocksDBException e = new RocksDBException("Corruption: block checksum mismatch",
                new Status(Status.Code.Corruption, Status.SubCode.None, null));
        assertNull(Fault.passing(e));
    }
}
