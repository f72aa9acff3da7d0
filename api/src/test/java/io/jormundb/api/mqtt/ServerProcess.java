package io.jormundb.api.mqtt;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The server as users run it, {@code java -jar target/jormundb.jar}, in a process of its own so
 * that a test can kill it with SIGKILL. For integration tests (run by failsafe after packaging).
 */
final class ServerProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target", "jormundb.jar");

    private final Process process;
    private final int port;
    private final Path log;
    private final DynamoDbClient client;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.client = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /**
     * Starts the server on {@code dataDir} with these JVM system properties ({@code -Dk=v}) and
     * flags, and waits until {@code /health} answers.
     */
    static ServerProcess start(Path dataDir, List<String> systemProperties, String... flags) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the integration tests with mvn verify");
        }
        int port = FreePort.find();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(systemProperties);
        command.addAll(List.of("-jar", JAR.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--data-dir", dataDir.toString()));
        command.addAll(List.of(flags));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ServerProcess server = new ServerProcess(process, port, log);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited: " + server.log());
                }
                return server.healthy();
            });
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DynamoDbClient client() {
        return client;
    }

    /** {@code GET path}'s body. */
    String get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private boolean healthy() {
        try {
            return get("/health").contains("serving");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or saved. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the server closes cleanly. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Its log and, while it runs, its metrics: for failure messages. */
    String log() {
        StringBuilder out = new StringBuilder();
        try {
            out.append(Files.readString(log));
            if (process.isAlive()) {
                out.append("\n").append(get("/metrics"));
            }
        } catch (IOException e) {
            out.append("(").append(e.getMessage()).append(")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString();
    }

    @Override
    public void close() {
        client.close();
        if (process.isAlive()) {
            try {
                kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
