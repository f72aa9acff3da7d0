package io.jormundb.engine.store;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words an operator reads: Java's file exceptions carry only the
 * path as their message ({@code /data/db}), the reason in their class or beside it.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** The reason of {@code e}'s deepest cause: {@code permission denied: /data/db}. */
    public static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof FileSystemException f) {
            String what = switch (f) {
                case AccessDeniedException ignored -> "permission denied";
                case NoSuchFileException ignored -> "no such file or directory";
                case FileAlreadyExistsException ignored -> "already exists";
                case NotDirectoryException ignored -> "not a directory";
                default -> f.getReason() == null ? "cannot be used" : f.getReason();
            };
            return what + ": " + f.getFile();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
