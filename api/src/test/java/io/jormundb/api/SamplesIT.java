package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fulfilment sample starts from the command samples/README.md gives ({@code samples/run.sh
 * fulfilment --place 2}, which compiles what it needs) against the jar, and ships the orders it
 * placed: each new order comes back over MQTT and is written again as SHIPPED.
 */
class SamplesIT {
    @TempDir
    Path temp;

    @Test
    void theFulfilmentSampleRunsFromTheReadmeCommandAndShipsItsOrders() throws Exception {
        assumeTrue(System.getProperty("jormundb.jar") != null, "runs under failsafe (mvn verify), after the jar is built");
        int mqttPort = FreePort.find();
        try (JarServer server = JarServer.start(temp.resolve("data"), Map.of(), "--mqtt-port", String.valueOf(mqttPort))) {
            Path root = Path.of("..").toAbsolutePath().normalize();
            List<String> command = new ArrayList<>(List.of("bash", "samples/run.sh", "fulfilment", "--place", "2",
                    "--endpoint", server.endpoint().toString(), "--mqtt-host", "127.0.0.1",
                    "--mqtt-port", String.valueOf(mqttPort)));
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            // The same JDK as this test, and the same Maven repository as this build.
            Path javaHome = Path.of(System.getProperty("java.home"));
            builder.environment().put("JAVA_HOME", javaHome.toString());
            builder.environment().put("PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
            String repo = System.getProperty("maven.repo.local");
            if (repo != null) {
                builder.environment().put("MAVEN_ARGS", "-Dmaven.repo.local=" + repo);
            }
            Process sample = builder.start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(sample.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    in.lines().forEach(lines::add);
                } catch (java.io.IOException ignored) {
                    // The sample was stopped.
                }
            });
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .failFast("the sample exited: " + lines, () -> !sample.isAlive())
                        .until(() -> lines.stream().filter(l -> l.contains("FulfilmentApp - shipped")).count() == 2);
            } finally {
                sample.destroy();
                sample.waitFor();
            }
        }
    }
}
