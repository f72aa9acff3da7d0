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
 * collector unless {@code JAVA_OPTS} name another, and on a JDK 25+ build (whose package phase trained
 * {@code api/target/jormundb.aot}) it starts the JVM from that cache, compiling eagerly what the
 * training compiled.
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
        // A small heap too: with the AOT cache, a young generation capped by size at or above the
        // heap (-XX:MaxNewSize) stops the JVM from starting; the launcher's options must not.
        Launched server = launch("-Xmx128m");
        String command = server.command();
        assertEquals(jdk25 && Files.isRegularFile(CACHE), command.contains("-XX:AOTCache="), command);
        // From the cache, the JIT compiles at once what the training compiled, where the JVM knows how.
        assertEquals(command.contains("-XX:AOTCache=") && knowsEagerCompilation(),
                command.contains("-XX:+AOTCompileEagerly"), command);
        assertTrue(command.contains("api/target/jormundb.jar"), command);
        // On the parallel collector with GCTimeRatio=19 (docs/operations.md), which the
        // JVM's metrics name; JAVA_OPTS come after.
        assertTrue(command.contains(String.join(" ", Target.SERVER_GC) + " -Xmx128m "), command);
        assertTrue(server.metrics().contains("gc=\"PS Scavenge\""), server.metrics());
    }

    @Test
    void aCollectorNamedInJavaOptsReplacesTheLaunchersOwn() throws Exception {
        assumeTrue(System.getProperty("jormundb.jar") != null, "runs under failsafe (mvn verify), after packaging");
        Launched server = launch("-XX:+UseSerialGC");
        assertTrue(!server.command().contains("-XX:+UseParallelGC") && server.command().contains("-XX:+UseSerialGC"),
                server.command());
        assertTrue(server.metrics().contains("gc=\"Copy\""), server.metrics());
    }

    /** What the JVM that {@code ./jormundb} started ran with and served, once it stopped. */
    private record Launched(String command, String metrics) {
    }

    /** Starts {@code ./jormundb} with {@code JAVA_OPTS}, reads its /metrics, stops it; checks its log. */
    private static Launched launch(String javaOpts) throws Exception {
        int port = Target.freePort();
        Path data = Files.createTempDirectory("launcher-it");
        Path log = data.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--port", String.valueOf(port),
                "--mqtt-port", "0", "--data-dir", data.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", javaOpts);
        Process server = builder.start();
        Launched launched;
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);
            // A JVM that refuses to start (an option it does not take) fails the test at once, with its log.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .failFast(() -> {
                        if (!server.isAlive()) {
                            throw new AssertionError("the launched JVM exited: " + Files.readString(log));
                        }
                    })
                    .until(() -> http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            // The launcher execs java: the process is the JVM, with the options it was given.
            launched = new Launched(String.join(" ", server.info().arguments().orElseThrow()), http.send(
                    HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        } finally {
            server.destroy();
            server.waitFor();
        }
        String output = Files.readString(log);
        assertTrue(output.contains("JormunDB listening on") && output.contains("shutting down"), output);
        assertTrue(!output.contains("[aot]"), "no AOT cache complaint: " + output);
        return launched;
    }

    /** Whether this test's java starts with JDK 25's experimental {@code -XX:+AOTCompileEagerly}. */
    private static boolean knowsEagerCompilation() throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockExperimentalVMOptions", "-XX:+AOTCompileEagerly", "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return java.waitFor() == 0;
    }
}
