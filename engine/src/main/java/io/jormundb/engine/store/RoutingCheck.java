package io.jormundb.engine.store;

import io.jormundb.engine.codec.Family;
import io.jormundb.engine.codec.Keys;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds an operation of a write batch that is in another column family than its key's keyspace
 * names ({@link Keys#familyOf}). Batches reach RocksDB two ways: through {@link Store#put} and
 * its siblings, which route by the key, and by code that adds to a {@code WriteBatch} itself,
 * which lands in the default family; a key of another family added that way would go silently to
 * the wrong place. {@link Store#write} runs this check when assertions are on (the tests), so such
 * a mistake fails a test instead. A batch {@linkplain Store#unshippedBatch marked unshipped} (a
 * storage format step, which moves keys between families) is not checked.
 */
final class RoutingCheck extends WriteBatch.Handler {
    private final Map<Integer, Family> familiesById = new HashMap<>();
    private boolean unshipped;
    private String misrouted;

    private RoutingCheck(Map<Family, ColumnFamilyHandle> families) {
        families.forEach((family, handle) -> familiesById.put(handle.getID(), family));
    }

    /** The first misrouted operation of {@code batch}, described, or {@code null}. */
    static String misrouted(WriteBatch batch, Map<Family, ColumnFamilyHandle> families) {
        try (RoutingCheck check = new RoutingCheck(families)) {
            batch.iterate(check);
            return check.unshipped ? null : check.misrouted;
        } catch (RocksDBException e) {
            return "cannot read the batch: " + e.getMessage();
        }
    }

    private void check(int familyId, byte[] key, String operation) {
        Family expected = Keys.familyOf(key);
        Family actual = familiesById.get(familyId);
        if (expected != actual && misrouted == null) {
            misrouted = "a " + operation + " of a key of keyspace byte " + (key.length == 0 ? "(none)" : key[0])
                    + " in column family " + (actual == null ? "#" + familyId : actual) + ", not " + expected;
        }
    }

    @Override
    public void put(int familyId, byte[] key, byte[] value) {
        check(familyId, key, "put");
    }

    @Override
    public void put(byte[] key, byte[] value) {
        check(0, key, "put");
    }

    @Override
    public void merge(int familyId, byte[] key, byte[] value) {
        check(familyId, key, "merge");
    }

    @Override
    public void merge(byte[] key, byte[] value) {
        check(0, key, "merge");
    }

    @Override
    public void delete(int familyId, byte[] key) {
        check(familyId, key, "delete");
    }

    @Override
    public void delete(byte[] key) {
        check(0, key, "delete");
    }

    @Override
    public void singleDelete(int familyId, byte[] key) {
        check(familyId, key, "single delete");
    }

    @Override
    public void singleDelete(byte[] key) {
        check(0, key, "single delete");
    }

    @Override
    public void deleteRange(int familyId, byte[] begin, byte[] end) {
        check(familyId, begin, "range delete");
    }

    @Override
    public void deleteRange(byte[] begin, byte[] end) {
        check(0, begin, "range delete");
    }

    @Override
    public void logData(byte[] data) {
        unshipped |= Store.marksUnshipped(data);
    }

    @Override
    public void putBlobIndex(int familyId, byte[] key, byte[] value) {
        check(familyId, key, "blob index put");
    }

    @Override
    public void markBeginPrepare() {
        // Not a key.
    }

    @Override
    public void markEndPrepare(byte[] xid) {
        // Not a key.
    }

    @Override
    public void markNoop(boolean emptyBatch) {
        // Not a key.
    }

    @Override
    public void markRollback(byte[] xid) {
        // Not a key.
    }

    @Override
    public void markCommit(byte[] xid) {
        // Not a key.
    }

    @Override
    public void markCommitWithTimestamp(byte[] xid, byte[] timestamp) {
        // Not a key.
    }
}
