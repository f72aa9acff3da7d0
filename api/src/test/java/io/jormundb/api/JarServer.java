package io.jormundb.api;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real fat jar ({@code target/jormundb.jar}) in its own JVM, started with the same
 * {@code java} as the tests, for what only a process shows: restarts, kill -9, flags, exit codes,
 * another program (the AWS CLI) as client. Only the *IT tests use it: they run after
 * {@code package} has built the jar. Its output goes to a log file beside its data directory.
 */
public final class JarServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:/]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final int port;
    private final DynamoDbClient client;
    private final Wire wire;

    private JarServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.client = TestServer.client(endpoint());
        this.wire = new Wire(endpoint());
    }

    /** The jar under test, as the build passed it in. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("jormundb.jar", "target/jormundb.jar"));
        assertTrue(Files.isRegularFile(jar), jar.toAbsolutePath() + " is missing: run `mvn verify`, which packages it");
        return jar;
    }

    /** {@code java -jar jormundb.jar args...} with the test JVM's own java binary. */
    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** {@code java jvmArgs... -jar jormundb.jar args...} with the test JVM's own java binary. */
    static List<String> command(List<String> jvmArgs, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts a server on {@code dataDir} (a random port on 127.0.0.1, no MQTT broker) and waits
     * until it says it is listening; fails with its output if it exits first.
     */
    public static JarServer start(Path dataDir, Map<String, String> env, String... extraArgs) {
        return start(dataDir, List.of(), env, extraArgs);
    }

    /**
     * As {@link #start(Path, Map, String...)}, with JVM arguments (such as {@code -Dname=value}
     * system properties) before {@code -jar}; a later flag beats an earlier one, so
     * {@code extraArgs} may give another {@code --mqtt-port}.
     */
    public static JarServer start(Path dataDir, List<String> jvmArgs, Map<String, String> env, String... extraArgs) {
        return start(dataDir, command(jvmArgs, serverArgs(dataDir, extraArgs)), env);
    }

    /**
     * As {@link #start(Path, Map, String...)}, in a process that may open at most
     * {@code descriptors} files and sockets ({@code bash -c 'ulimit -n N; exec java …'}).
     */
    public static JarServer startWithFileLimit(Path dataDir, int descriptors, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -n " + descriptors + " && exec \"$@\"",
                "bash"));
        command.addAll(command(serverArgs(dataDir, extraArgs)));
        return start(dataDir, command, Map.of());
    }

    private static String[] serverArgs(Path dataDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--mqtt-port", "0",
                "--data-dir", dataDir.toAbsolutePath().toString()));
        args.addAll(List.of(extraArgs));
        return args.toArray(String[]::new);
    }

    private static JarServer start(Path dataDir, List<String> command, Map<String, String> env) {
        try {
            Path log = Files.createTempFile(dataDir.getParent(), "jormundb-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            int[] port = {-1};
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                Matcher m = LISTENING.matcher(Files.readString(log));
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("server exited with " + process.exitValue() + " before listening:\n"
                            + Files.readString(log));
                }
                return false;
            });
            return new JarServer(process, log, port[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JarServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public DynamoDbClient client() {
        return client;
    }

    /** The server's base URL, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Wire wire() {
        return wire;
    }

    public int port() {
        return port;
    }

    /** The body of {@code GET path} (such as {@code /metrics}). */
    public String get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(endpoint().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** Everything the server printed so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return waitForExit();
    }

    /** SIGKILL (kill -9), then the exit code. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return waitForExit();
    }

    private int waitForExit() throws InterruptedException {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "server did not exit:\n" + log());
        return process.exitValue();
    }

    @Override
    public void close() {
        client.close();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** What a finished command printed and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs {@code command} to completion (at most a minute) with {@code env} added. */
    static Result run(List<String> command, Map<String, String> env, Path workDir) {
        try {
            Path out = Files.createTempFile(workDir, "out-", ".txt");
            Path err = Files.createTempFile(workDir, "err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish in a minute:\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
