package io.jormundb.engine.replication;

import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.WriteBatch;

import java.util.function.Consumer;

/**
 * Copies the operations of a write batch on keys of shipped column families into another batch,
 * each into the family its key's keyspace byte names on this node (column family ids differ
 * between nodes; keyspace bytes do not), and tells {@code touched} every key it copies. Node-local
 * keys are skipped, and so is every operation of a batch the store marked
 * {@linkplain Store#unshippedBatch() unshipped} (a node's own storage format step: a follower
 * takes it on its own, and its moves between families, routed by keyspace byte, would undo
 * themselves here). The leader uses it to strip what it ships, the follower to apply it. Close
 * it after use (a native callback object).
 */
final class ShippedCopy extends WriteBatch.Handler {
    private final Store store;
    private final WriteBatch target;
    private final Consumer<byte[]> touched;
    private int copied;
    /** Whether the batch opened with the unshipped marker. */
    private boolean unshipped;

    ShippedCopy(Store store, WriteBatch target, Consumer<byte[]> touched) {
        this.store = store;
        this.target = target;
        this.touched = touched;
    }

    /** How many operations were copied. */
    int copied() {
        return copied;
    }

    private boolean shipped(byte[] key) {
        if (unshipped || !Keys.familyOf(key).shipped()) {
            return false;
        }
        copied++;
        touched.accept(key);
        return true;
    }

    @Override
    public void put(int columnFamilyId, byte[] key, byte[] value) {
        put(key, value);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        if (shipped(key)) {
            store.put(target, key, value);
        }
    }

    @Override
    public void delete(int columnFamilyId, byte[] key) {
        delete(key);
    }

    @Override
    public void delete(byte[] key) {
        if (shipped(key)) {
            store.delete(target, key);
        }
    }

    @Override
    public void singleDelete(int columnFamilyId, byte[] key) {
        delete(key);
    }

    @Override
    public void singleDelete(byte[] key) {
        delete(key);
    }

    @Override
    public void deleteRange(int columnFamilyId, byte[] beginKey, byte[] endKey) {
        deleteRange(beginKey, endKey);
    }

    @Override
    public void deleteRange(byte[] beginKey, byte[] endKey) {
        if (shipped(beginKey)) {
            store.deleteRange(target, beginKey, endKey);
        }
    }

    @Override
    public void logData(byte[] blob) {
        // Log data is not an operation on the database; nothing to copy, but it may mark the batch.
        unshipped |= Store.marksUnshipped(blob);
    }

    @Override
    public void merge(int columnFamilyId, byte[] key, byte[] value) {
        throw unsupported("merge");
    }

    @Override
    public void merge(byte[] key, byte[] value) {
        throw unsupported("merge");
    }

    @Override
    public void putBlobIndex(int columnFamilyId, byte[] key, byte[] value) {
        throw unsupported("blob index");
    }

    @Override
    public void markBeginPrepare() {
        throw unsupported("two-phase commit");
    }

    @Override
    public void markEndPrepare(byte[] xid) {
        throw unsupported("two-phase commit");
    }

    @Override
    public void markNoop(boolean emptyBatch) {
        // A no-op marker carries no operation.
    }

    @Override
    public void markRollback(byte[] xid) {
        throw unsupported("two-phase commit");
    }

    @Override
    public void markCommit(byte[] xid) {
        throw unsupported("two-phase commit");
    }

    @Override
    public void markCommitWithTimestamp(byte[] xid, byte[] ts) {
        throw unsupported("two-phase commit");
    }

    /** JormunDB writes none of these; a log that holds one was not written by it. */
    private static StoreException unsupported(String what) {
        return new StoreException("the write-ahead log holds a " + what + " record, which JormunDB never writes");
    }
}
