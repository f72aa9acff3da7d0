package io.jormundb.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Front-end packages for the browser tests, installed from the npm registry into a folder of
 * {@code target/} (once: later runs find them there). Where npm is not installed the test is
 * skipped (an assumption); {@code .ci/run} installs it.
 */
public final class Npm {
    private Npm() {
    }

    /** {@code npm install --prefix <prefix> <packages>}. */
    public static void install(Path prefix, String... packages) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("npm", "install", "--prefix", prefix.toString(), "--no-save",
                "--no-audit", "--no-fund"));
        command.addAll(List.of(packages));
        run(command);
    }

    /** Runs command {@code name} of a package installed under {@code prefix}, failing the test on a non-zero exit. */
    public static void run(Path prefix, String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(prefix.resolve(Path.of("node_modules", ".bin", name)).toString()));
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "browser test skipped: " + command.getFirst() + " is not installed (apt-get install npm)");
            return;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", command) + " failed:\n"
                + output);
    }
}
