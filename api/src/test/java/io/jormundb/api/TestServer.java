package io.jormundb.api;

import io.jormundb.api.config.Config;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The one test fixture: a real {@link JormunServer}, in this JVM, on a random port with a fresh
 * temporary data directory, plus AWS SDK v2 clients (DynamoDB and DynamoDB Streams) and a raw
 * HTTP {@link Wire} pointed at it.
 * The usual form is {@code TestServer.with((server, client) -> ...)}; a class whose tests share one
 * server registers {@link #perClass()}, one that wants a fresh server for each test {@link #perTest()};
 * tests that restart the server on the same data use {@link #start()} and {@link #restart()}.
 * Closing stops the server and deletes the data directory. Server logs go to the test's output
 * file, nowhere else.
 */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final UnaryOperator<Config> customize;
    private final Clock clock;
    private JormunServer server;
    private DynamoDbClient client;
    private DynamoDbStreamsClient streams;
    private Wire wire;

    private TestServer(Path dataDir, UnaryOperator<Config> customize, Clock clock) {
        this.dataDir = dataDir;
        this.customize = customize;
        this.clock = clock;
        open();
    }

    /** What a test does with a running server. */
    @FunctionalInterface
    public interface Body {
        void run(TestServer server, DynamoDbClient client) throws Exception;
    }

    /** Runs {@code body} against a fresh server and closes it, whatever happens. */
    public static void with(Body body) throws Exception {
        try (TestServer server = start()) {
            body.run(server, server.client());
        }
    }

    /** Starts a fresh server; the caller closes it. */
    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** Starts a fresh server whose configuration {@code customize} adjusts (retention, heartbeat, …). */
    public static TestServer start(UnaryOperator<Config> customize) {
        return start(customize, Clock.systemUTC());
    }

    /** {@link #start(UnaryOperator)} on {@code clock} (a {@link MutableClock}: time that a test moves). */
    public static TestServer start(UnaryOperator<Config> customize, Clock clock) {
        try {
            return new TestServer(Files.createTempDirectory("jormundb-test"), customize, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on an existing data directory (a checkpoint's, say), which closing deletes. */
    public static TestServer startOn(Path dataDir, UnaryOperator<Config> customize) {
        return startOn(dataDir, customize, Clock.systemUTC());
    }

    /** {@link #startOn(Path, UnaryOperator)} on {@code clock}. */
    public static TestServer startOn(Path dataDir, UnaryOperator<Config> customize, Clock clock) {
        return new TestServer(dataDir, customize, clock);
    }

    /**
     * One server for all the tests of a class, started before its {@code @BeforeAll} methods and
     * closed after its {@code @AfterAll} methods:
     * {@code @RegisterExtension static final TestServer.Managed SERVER = TestServer.perClass();}
     */
    public static Managed perClass() {
        return perClass(UnaryOperator.identity());
    }

    /** {@link #perClass()} with a configuration that {@code customize} adjusts. */
    public static Managed perClass(UnaryOperator<Config> customize) {
        return new Managed(customize, Clock.systemUTC(), false);
    }

    /**
     * A fresh server for each test, started before its {@code @BeforeEach} methods and closed after
     * its {@code @AfterEach} methods:
     * {@code @RegisterExtension final TestServer.Managed server = TestServer.perTest();}
     */
    public static Managed perTest() {
        return perTest(UnaryOperator.identity());
    }

    /** {@link #perTest()} with a configuration that {@code customize} adjusts. */
    public static Managed perTest(UnaryOperator<Config> customize) {
        return perTest(customize, Clock.systemUTC());
    }

    /** {@link #perTest(UnaryOperator)} on {@code clock} (a {@link MutableClock}: time that a test moves). */
    public static Managed perTest(UnaryOperator<Config> customize, Clock clock) {
        return new Managed(customize, clock, true);
    }

    /**
     * A {@link TestServer} that JUnit starts and closes (see {@link #perClass()} and
     * {@link #perTest()}), with shortcuts to what tests use most; {@link #get()} gives the rest.
     * Only valid while it runs: between its start and its close.
     */
    public static final class Managed implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
            AfterEachCallback {
        private final UnaryOperator<Config> customize;
        private final Clock clock;
        private final boolean perTest;
        /** Set while the server runs; tests may read it from their own threads. */
        private volatile TestServer running;

        private Managed(UnaryOperator<Config> customize, Clock clock, boolean perTest) {
            this.customize = customize;
            this.clock = clock;
            this.perTest = perTest;
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            if (!perTest) {
                running = start(customize, clock);
            }
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            if (perTest) {
                running = start(customize, clock);
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (perTest) {
                stop();
            }
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (!perTest) {
                stop();
            }
        }

        private void stop() {
            TestServer stopping = running;
            running = null;
            if (stopping != null) {
                stopping.close();
            }
        }

        /** The running {@link TestServer}. */
        public TestServer get() {
            if (running == null) {
                throw new IllegalStateException("the server runs only between its start and its close");
            }
            return running;
        }

        public DynamoDbClient client() {
            return get().client();
        }

        public DynamoDbStreamsClient streams() {
            return get().streams();
        }

        public URI endpoint() {
            return get().endpoint();
        }

        public JormunServer server() {
            return get().server();
        }

        public TestServer restart() {
            return get().restart();
        }
    }

    /** Stops the server cleanly and starts a new one on the same data directory (and a new port). */
    public TestServer restart() {
        return restart(() -> { });
    }

    /** {@link #restart()}, running {@code whileStopped} between the stop and the start. */
    public TestServer restart(Runnable whileStopped) {
        stop();
        whileStopped.run();
        open();
        return this;
    }

    public DynamoDbClient client() {
        return client;
    }

    /** An SDK DynamoDB Streams client of this server, made as {@link #client(URI)} makes the DynamoDB one. */
    public DynamoDbStreamsClient streams() {
        return streams;
    }

    /** Raw HTTP to the DynamoDB endpoint, for what the SDK will not send. */
    public Wire wire() {
        return wire;
    }

    public int port() {
        return server.port();
    }

    /** The server's base URL, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** The running server, for what a test must reach directly (its trimmer, its engine). */
    public JormunServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * An SDK client for a JormunDB at {@code endpoint}: dummy static credentials (any are
     * accepted), no retries (so every error shows as it was answered), and a timeout so a hang
     * fails the test instead of stalling the build.
     */
    public static DynamoDbClient client(URI endpoint) {
        return configure(DynamoDbClient.builder(), endpoint, Region.US_EAST_1).build();
    }

    /** A DynamoDB Streams client for a JormunDB at {@code endpoint}, signing for {@code region}, made as {@link #client}. */
    public static DynamoDbStreamsClient streamsClient(URI endpoint, Region region) {
        return configure(DynamoDbStreamsClient.builder(), endpoint, region).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint,
                                                                                            Region region) {
        return builder
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDTEST", "test-secret")))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .overrideConfiguration(c -> c
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(90)));
    }

    private void open() {
        server = JormunServer.create(
                customize.apply(Config.defaults().withPort(0).withDataDir(dataDir).withMqttPort(0)), clock).start();
        URI endpoint = endpoint();
        client = client(endpoint);
        streams = streamsClient(endpoint, Region.US_EAST_1);
        wire = new Wire(endpoint);
    }

    private void stop() {
        try {
            client.close();
            streams.close();
        } finally {
            server.close();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** Deletes a directory tree; used for every temporary data directory of the tests. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Copies a stopped server's data directory (as an operator's {@code cp -r} would). */
    public static void copyDirectory(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from, e);
        }
    }
}
