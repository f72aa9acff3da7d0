package io.jormundb.engine.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What an operator reads when a file operation fails: the reason, not only the path Java's exceptions carry. */
class FileErrorsTest {
    @Test
    void aFileExceptionSaysWhyBesideThePathAlsoAsACause() {
        assertEquals("permission denied: /data/db", FileErrors.reason(new AccessDeniedException("/data/db")));
        assertEquals("no such file or directory: /nope",
                FileErrors.reason(new UncheckedIOException(new NoSuchFileException("/nope"))));
        assertEquals("Read-only file system: /ro", FileErrors.reason(new FileSystemException("/ro", null,
                "Read-only file system")));
        assertEquals("disk full", FileErrors.reason(new IOException("disk full")));
        assertEquals("IOException", FileErrors.reason(new IOException()));
    }
}
