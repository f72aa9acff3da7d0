package io.jormundb.engine.store;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;

/**
 * Loads RocksDB's JNI library from one stable file that every JormunDB process reuses:
 * {@code <java.io.tmpdir>/jormundb-rocksdbjni-<crc>-<size>/<library file>}, keyed by the library's
 * checksum in the jar, so a new rocksdbjni gets a file of its own. RocksDB's own loader extracts a
 * fresh 17 MB copy per process and deletes it only at a clean exit, so every killed process left
 * one behind. The file is written under a temporary name and moved into place, so concurrent
 * starts never load a half-written library.
 */
final class NativeLibrary {
    private NativeLibrary() {
    }

    static void load() {
        String name = Environment.getJniLibraryFileName("rocksdb");
        URL resource = RocksDB.class.getResource("/" + name);
        // RocksDB.loadLibrary(paths) looks in each path for the file of the library named
        // "rocksdbjni" (librocksdbjnijni-linux64.so), not for the jar's resource name.
        String loadedName = Environment.getJniLibraryFileName("rocksdbjni");
        if (resource == null) {
            // Not a platform whose library has this name (musl fallbacks and the like): RocksDB's own loader.
            RocksDB.loadLibrary();
            return;
        }
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "jormundb-rocksdbjni-" + key(resource));
            Path library = dir.resolve(loadedName);
            if (!Files.isRegularFile(library)) {
                extract(resource, dir, library);
            }
            RocksDB.loadLibrary(List.of(dir.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract RocksDB's native library: " + e.getMessage(), e);
        }
    }

    /** The library's checksum and size from the jar's directory (no need to read 17 MB), else its hash code. */
    private static String key(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            return Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
        }
        try (InputStream in = connection.getInputStream()) {
            byte[] bytes = in.readAllBytes();
            return Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + bytes.length;
        }
    }

    private static void extract(URL resource, Path dir, Path library) throws IOException {
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, library.getFileName().toString(), ".part");
        try (InputStream in = resource.openStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(part, library, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another process put it there first (or the file system cannot move atomically): use what is there.
                if (!Files.isRegularFile(library)) {
                    Files.move(part, library, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
