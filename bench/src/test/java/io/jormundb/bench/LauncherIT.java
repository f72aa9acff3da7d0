package io.jormundb.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./jormundb}, the README's way to run the server, after the build: it serves, on the parallel
 * collector, and on a JDK 25+ build (whose package phase trained {@code api/target/jormundb.aot}) it
 * starts the JVM from that cache, compiling eagerly what the training compiled.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "jormundb");
    private static final Path CACHE = Path.of("..", "api", "target", "jormundb.aot");

    @Test
    void theLauncherServesAndStartsFromTheAotCacheOnJdk25() throws Exception {
        assumeTrue(System.getProperty("jormundb.jar") != null, "runs under failsafe (mvn verify), after packaging");
        boolean jdk25 = Runtime.version().feature() >= 25;
        if (jdk25 && !Boolean.getBoolean("skipAot")) {
            assertTrue(Files.isRegularFile(CACHE), "a JDK 25+ build trains " + CACHE);
        }
        int port = Target.freePort();
        Path data = Files.createTempDirectory("launcher-it");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--port", String.valueOf(port),
                "--mqtt-port", "0", "--data-dir", data.toString()).redirectErrorStream(true)
                .redirectOutput(data.resolve("server.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process server = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            // The launcher execs java: the process is the JVM, with the options it was given.
            String command = String.join(" ", server.info().arguments().orElseThrow());
            assertEquals(jdk25 && Files.isRegularFile(CACHE), command.contains("-XX:AOTCache="), command);
            // From the cache, the JIT compiles at once what the training compiled, where the JVM knows how.
            assertEquals(command.contains("-XX:AOTCache=") && knowsEagerCompilation(),
                    command.contains("-XX:+AOTCompileEagerly"), command);
            assertTrue(command.contains("api/target/jormundb.jar"), command);
            // On the parallel collector (BENCHMARKS.md, "The collector"), which the JVM's metrics name.
            assertTrue(command.contains(Target.SERVER_GC), command);
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("gc=\"PS Scavenge\""), metrics);
        } finally {
            server.destroy();
            server.waitFor();
        }
        String log = Files.readString(data.resolve("server.log"));
        assertTrue(log.contains("JormunDB listening on") && log.contains("shutting down"), log);
        assertTrue(!log.contains("[aot]"), "no AOT cache complaint: " + log);
    }

    /** Whether this test's java starts with JDK 25's experimental {@code -XX:+AOTCompileEagerly}. */
    private static boolean knowsEagerCompilation() throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockExperimentalVMOptions", "-XX:+AOTCompileEagerly", "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return java.waitFor() == 0;
    }
}
