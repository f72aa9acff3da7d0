package io.jormundb.api;

import io.jormundb.api.config.Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The one test fixture: a real {@link JormunServer} on a random port with a temporary data
 * directory (and no embedded broker unless asked for), plus an AWS SDK v2 client pointed at it.
 * {@link #restart()} closes and reopens the server on the same data directory.
 */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final UnaryOperator<Config> customize;
    private JormunServer server;
    private DynamoDbClient client;

    private TestServer(Path dataDir, UnaryOperator<Config> customize) {
        this.dataDir = dataDir;
        this.customize = customize;
        open();
    }

    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** A server whose configuration {@code customize} adjusts (retention, heartbeat, …). */
    public static TestServer start(UnaryOperator<Config> customize) {
        try {
            return new TestServer(Files.createTempDirectory("jormundb-test"), customize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code test} against a fresh server, closing it afterwards. */
    public static void with(ServerTest test) throws Exception {
        try (TestServer server = start()) {
            test.run(server, server.client());
        }
    }

    /** A test body that gets the server and its client. */
    @FunctionalInterface
    public interface ServerTest {
        void run(TestServer server, DynamoDbClient client) throws Exception;
    }

    private void open() {
        Config config = customize.apply(Config.defaults().withPort(0).withMqttPort(0).withDataDir(dataDir));
        server = JormunServer.create(config).start();
        client = DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    public JormunServer server() {
        return server;
    }

    public DynamoDbClient client() {
        return client;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Closes the server cleanly and starts it again on the same data directory. */
    public void restart() {
        client.close();
        server.close();
        open();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
