package io.jormundb.api.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small filesystem of its own ({@code mount -t tmpfs -o size=…}), so that a test can fill it
 * for real. Needs root (CI runs as root); where mounting is refused the test is skipped, saying why.
 */
final class SmallDisk implements AutoCloseable {
    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code size} ({@code 8m}) on a new temp directory. */
    static SmallDisk mount(String size) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("jormundb-small-disk");
        Result mount = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", root.toString());
        if (mount.exit != 0) {
            Files.delete(root);
        }
        assumeTrue(mount.exit == 0, "this test fills a small filesystem of its own and needs "
                + "`mount -t tmpfs` (root, as in CI); mounting was refused: " + mount.output);
        return new SmallDisk(root);
    }

    Path root() {
        return root;
    }

    /** Unmounts (lazily, should a file still be open) and deletes the mount point. */
    @Override
    public void close() throws IOException, InterruptedException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(root)).toList()) {
                Files.deleteIfExists(p);
            }
        }
        run("umount", "-l", root.toString());
        Files.deleteIfExists(root);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " did not finish in 30 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
