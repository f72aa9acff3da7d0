package io.jormundb.engine.write;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The ClientRequestTokens of committed transactions, which make TransactWriteItems idempotent
 * for {@link #WINDOW_MILLIS} after the commit. A token lives in the STATE keyspace as
 * {@code [commit time ms: 8 bytes][fingerprint of the request]}, written in the same WriteBatch
 * as the transaction, so it survives a restart exactly when the writes do.
 *
 * <p>Expired tokens are removed on write: the first commit with a token after a start, and then
 * at most once per window, sweeps them out once it has committed (so a token lives at most two
 * windows). Thread-safe.
 */
public final class IdempotencyTokens {
    public static final long WINDOW_MILLIS = 10 * 60 * 1000;
    private static final int STRIPES = 64;
    private static final String MISMATCH =
            "The request uses the same client token as a previous, but non-identical request.";

    private final Store store;
    private final Clock clock;
    /** Striped by token: each makes "look the token up, commit with it" and "remove it if expired" one step. */
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    /** When the next sweep is due (0: at the first commit with a token). */
    private final AtomicLong nextSweepMillis = new AtomicLong();

    IdempotencyTokens(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Runs {@code commit} unless a transaction with {@code token} committed within the window.
     * {@code commit} gets the token entry and must write it in the batch of the transaction.
     *
     * @return {@code true} when {@code commit} ran, {@code false} for a replay of an identical request
     * @throws DynamoException IdempotentParameterMismatchException when the token's live
     *                         transaction had another {@code fingerprint}
     */
    public boolean runOnce(String token, byte[] fingerprint, Consumer<WriteContext.StatePut> commit) {
        byte[] key = Keys.idempotencyToken(token);
        ReentrantLock lock = stripe(key);
        lock.lock();
        try {
            long now = clock.millis();
            byte[] previous = store.get(key);
            if (previous != null && now - committedAt(previous) < WINDOW_MILLIS) {
                if (!Arrays.equals(previous, 8, previous.length, fingerprint, 0, fingerprint.length)) {
                    throw new DynamoException(ErrorCode.IDEMPOTENT_PARAMETER_MISMATCH, MISMATCH);
                }
                return false;
            }
            byte[] value = new ByteWriter(8 + fingerprint.length).writeLong(now).write(fingerprint).toByteArray();
            commit.accept(new WriteContext.StatePut(key, value));
        } finally {
            lock.unlock();
        }
        long now = clock.millis();
        long due = nextSweepMillis.get();
        if (now >= due && nextSweepMillis.compareAndSet(due, now + WINDOW_MILLIS)) {
            removeExpired(now);
        }
        return true;
    }

    /**
     * Removes every token whose window ended at or before {@code nowMillis}; a token committed
     * again meanwhile stays.
     *
     * @return how many were removed
     */
    public int removeExpired(long nowMillis) {
        List<List<byte[]>> expiredByStripe = new ArrayList<>(STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            expiredByStripe.add(new ArrayList<>());
        }
        store.forEach(Keys.idempotencyTokens(), (key, value) -> {
            if (expired(value, nowMillis)) {
                expiredByStripe.get(stripeIndex(key)).add(key);
            }
            return true;
        });
        int removed = 0;
        for (int i = 0; i < STRIPES; i++) {
            List<byte[]> keys = expiredByStripe.get(i);
            if (!keys.isEmpty()) {
                removed += remove(stripes[i], keys, nowMillis);
            }
        }
        return removed;
    }

    /** How many tokens are stored, expired or not. */
    public long count() {
        long[] n = {0};
        store.forEach(Keys.idempotencyTokens(), (key, value) -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    private int remove(ReentrantLock lock, List<byte[]> keys, long nowMillis) {
        lock.lock();
        try (WriteBatch batch = new WriteBatch()) {
            int removed = 0;
            for (byte[] key : keys) {
                byte[] value = store.get(key);
                if (value != null && expired(value, nowMillis)) {
                    batch.delete(key);
                    removed++;
                }
            }
            if (removed > 0) {
                store.write(batch);
            }
            return removed;
        } catch (RocksDBException e) {
            throw new StoreException("cannot build token sweep batch: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static boolean expired(byte[] value, long nowMillis) {
        return nowMillis - committedAt(value) >= WINDOW_MILLIS;
    }

    private static long committedAt(byte[] value) {
        return new ByteReader(value).readLong();
    }

    private ReentrantLock stripe(byte[] key) {
        return stripes[stripeIndex(key)];
    }

    private static int stripeIndex(byte[] key) {
        return Math.floorMod(Arrays.hashCode(key), STRIPES);
    }
}
