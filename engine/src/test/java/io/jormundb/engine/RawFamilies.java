package io.jormundb.engine;

import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.Family;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.codec.Keyspace;
import io.jormundb.engine.store.Store;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A closed data directory's column families as RocksDB holds them, past the store's routing by
 * keyspace: what each family holds, and the layout of storage format 3 (the changelog in the
 * default family) made from a directory of this format.
 */
public final class RawFamilies {
    private RawFamilies() {
    }

    /** Every key (hex) and value (hex) of the changelog keyspaces in {@code family}. */
    public static SortedMap<String, String> changelogIn(Path dataDir, Family family) {
        SortedMap<String, String> entries = new TreeMap<>();
        withFamilies(dataDir, (db, handles) -> {
            ColumnFamilyHandle handle = handles.get(family.columnFamilyName());
            if (handle == null) {
                return;
            }
            try (RocksIterator it = db.newIterator(handle)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    if (Keyspace.CHANGELOG.holds(it.key()) || Keyspace.COMMIT_LOG.holds(it.key())) {
                        entries.put(HexFormat.of().formatHex(it.key()), HexFormat.of().formatHex(it.value()));
                    }
                }
            }
        });
        return entries;
    }

    /**
     * Rewrites a closed directory of this format into storage format 3: the changelog moved into
     * the default family, the changelog family dropped, the format mark 3. With {@code leftBehind},
     * the family is kept holding those entries instead: a copy cut short by a crash.
     */
    public static void toFormat3(Path dataDir, SortedMap<String, String> leftBehind) {
        SortedMap<String, String> changelog = changelogIn(dataDir, Family.CHANGELOG);
        withFamilies(dataDir, (db, handles) -> {
            ColumnFamilyHandle moved = handles.get(Family.CHANGELOG.columnFamilyName());
            try (WriteBatch batch = new WriteBatch(); WriteOptions options = new WriteOptions()) {
                changelog.forEach((key, value) -> put(batch, handles.get("default"), key, value));
                if (leftBehind != null) {
                    batch.deleteRange(moved, new byte[] {0}, new byte[] {(byte) 0xFF});
                    leftBehind.forEach((key, value) -> put(batch, moved, key, value));
                }
                batch.put(handles.get("default"), Keys.format(), new ByteWriter(1).writeVarInt(3).toByteArray());
                db.write(options, batch);
            }
            if (leftBehind == null) {
                db.dropColumnFamily(moved);
            }
        });
    }

    private static void put(WriteBatch batch, ColumnFamilyHandle family, String key, String value) {
        try {
            batch.put(family, HexFormat.of().parseHex(key), HexFormat.of().parseHex(value));
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What to do with an open database and its families by name. */
    private interface FamiliesUse {
        void use(RocksDB db, java.util.Map<String, ColumnFamilyHandle> handles) throws RocksDBException;
    }

    /** Uses the database of {@code dataDir} (the store's class loads RocksDB's library first). */
    private static void withFamilies(Path dataDir, FamiliesUse use) {
        String path = dataDir.resolve("db").toString();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            List<ColumnFamilyDescriptor> descriptors = Store.familiesIn(dataDir);
            try (DBOptions options = new DBOptions(); RocksDB db = RocksDB.open(options, path, descriptors, handles)) {
                try {
                    java.util.Map<String, ColumnFamilyHandle> byName = new java.util.HashMap<>();
                    for (int i = 0; i < descriptors.size(); i++) {
                        byName.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
                    }
                    use.use(db, byName);
                } finally {
                    handles.forEach(ColumnFamilyHandle::close);
                }
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /** The storage format mark of a closed directory. */
    public static int format(Path dataDir) {
        try (Store store = Store.open(dataDir, false)) {
            return store.get(Keys.format())[0];
        }
    }
}
