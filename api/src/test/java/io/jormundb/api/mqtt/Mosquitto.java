package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Mosquitto (Debian package {@code mosquitto}) on a free port of 127.0.0.1, with a
 * generated configuration: one user and password, persistence in its own temporary directory
 * (so persistent sessions survive {@link #stop}/{@link #start}), and no limit on queued
 * messages (Mosquitto's default of 1000 would drop QoS 1 messages for an offline subscriber).
 */
final class Mosquitto implements AutoCloseable {
    static final String USER = "bridge";
    static final String PASSWORD = "s3cret";

    private final Path dir;
    private final int port;
    /** The TLS listener's port, or 0 when there is none. */
    private final int tlsPort;
    private Process process;
    /** More lines of configuration ({@link #restartWith}). */
    private List<String> extra = List.of();

    private Mosquitto(Path dir, int port, int tlsPort) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** Configures and starts a Mosquitto; {@link #close} stops it and deletes its directory. */
    static Mosquitto startNew() {
        return startNew(false);
    }

    /**
     * Also with a TLS listener ({@link #tlsUri}) whose self-signed certificate for 127.0.0.1 is
     * in the PKCS#12 trust store {@link #trustStore} (password {@code changeit}).
     */
    static Mosquitto startNewWithTls() {
        return startNew(true);
    }

    private static Mosquitto startNew(boolean tls) {
        try {
            Path dir = Files.createTempDirectory("jormundb-mosquitto");
            Mosquitto m = new Mosquitto(dir, FreePort.find(), tls ? FreePort.find() : 0);
            m.configure();
            m.start();
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    String tlsUri() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    Path trustStore() {
        return dir.resolve("trust.p12");
    }

    private void configure() throws IOException {
        run("mosquitto_passwd", "-b", "-c", dir.resolve("passwd").toString(), USER, PASSWORD);
        String tlsListener = "";
        if (tlsPort != 0) {
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.crt").toString(),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
            run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "mosquitto", "-file", dir.resolve("server.crt").toString(),
                    "-keystore", trustStore().toString(), "-storetype", "PKCS12", "-storepass", "changeit");
            tlsListener = String.join("\n",
                    "listener " + tlsPort + " 127.0.0.1",
                    "certfile " + dir.resolve("server.crt"),
                    "keyfile " + dir.resolve("server.key"),
                    "");
        }
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                tlsListener,
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwd"),
                "persistence true",
                "persistence_location " + dir + "/",
                "max_queued_messages 0",
                // Stays root only when started as root (a CI container); ignored otherwise.
                "user root",
                "log_dest stderr",
                String.join("\n", extra),
                ""), StandardCharsets.UTF_8);
    }

    /** Stops it, and starts it again with these lines of configuration besides its own (none: as it was first). */
    void restartWith(String... lines) {
        stop();
        extra = List.of(lines);
        try {
            configure();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** Starts (again) on the same port, and waits until it accepts connections. */
    void start() {
        try {
            process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mosquitto (apt-get install mosquitto)", e);
        }
        await().atMost(Duration.ofSeconds(10)).until(this::accepting);
    }

    /** Stops it cleanly (SIGTERM: it saves its persistent sessions) and waits until it is gone. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Its log, for failure messages. */
    String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts a Mosquitto client program ({@code mosquitto_pub}, {@code mosquitto_sub}), its stderr in its stdout. */
    static Process client(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0] + " (apt-get install mosquitto-clients)", e);
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
