package io.jormundb.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server under test, started by the harness as a process of its own on free ports: JormunDB
 * (the packaged jar), Dynalite (a Node.js DynamoDB emulator, from an npm install the caller made)
 * or the ceiling ({@link Ceiling}: Javalin answering {@code {}}). Knows its process, so the
 * harness can read its CPU time and memory from {@code /proc}.
 */
final class Target implements AutoCloseable {
    /**
     * The collector options {@code ./jormundb} starts the server with (docs/operations.md, "The
     * JVM: collector and heap"); the harness starts JormunDB and the ceiling with them too, unless
     * {@code --jvm} names another collector.
     */
    static final List<String> SERVER_GC = List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=19");
    private final String name;
    private final Process process;
    private final URI endpoint;
    private final int mqttPort;
    private final Path dataDir;

    private Target(String name, Process process, URI endpoint, int mqttPort, Path dataDir) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
        this.mqttPort = mqttPort;
        this.dataDir = dataDir;
    }

    /**
     * JormunDB from {@code jar}, with an MQTT port and a fresh data directory (or {@code dataDir}),
     * plus {@code flags}; {@code jvmOptions} go to its JVM (a profiler, say).
     */
    static Target jormundb(Path jar, Path dataDir, List<String> flags, List<String> jvmOptions) throws IOException {
        int port = freePort();
        int mqtt = freePort();
        Path data = dataDir != null ? dataDir : Files.createTempDirectory("jormundb-bench");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(withServerGc(jvmOptions));
        command.addAll(List.of("-jar", jar.toString(), "--port", String.valueOf(port),
                "--mqtt-port", String.valueOf(mqtt), "--data-dir", data.toString()));
        command.addAll(flags);
        return start("jormundb", command, port, mqtt, data);
    }

    /** Dynalite from an npm install in {@code dir} ({@code dir/node_modules/dynalite}), in memory. */
    static Target dynalite(Path dir) throws IOException {
        int port = freePort();
        Path cli = dir.resolve("node_modules/dynalite/cli.js");
        if (!Files.exists(cli)) {
            throw new IOException("no Dynalite at " + cli + " (npm install dynalite@4.0.0 there)");
        }
        return start("dynalite", List.of("node", cli.toString(), "--port", String.valueOf(port)), port, 0,
                Files.createTempDirectory("dynalite-bench"));
    }

    /**
     * The ceiling: Javalin with the server's settings answering {@code {}} to every POST, on the
     * server's collector (the one {@code jvmOptions} name, else {@link #SERVER_GC}'s options).
     */
    static Target ceiling(List<String> jvmOptions) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(collector(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Ceiling.class.getName(),
                String.valueOf(port)));
        return start("ceiling", command, port, 0, Files.createTempDirectory("ceiling-bench"));
    }

    /** {@code jvmOptions}, preceded by {@link #SERVER_GC}'s options unless they choose a collector. */
    private static List<String> withServerGc(List<String> jvmOptions) {
        List<String> options = new ArrayList<>();
        if (jvmOptions.stream().noneMatch(Target::choosesGc)) {
            options.addAll(SERVER_GC);
        }
        options.addAll(jvmOptions);
        return options;
    }

    /** The collectors {@code jvmOptions} choose, else {@link #SERVER_GC}'s options. */
    private static List<String> collector(List<String> jvmOptions) {
        List<String> chosen = jvmOptions.stream().filter(Target::choosesGc).toList();
        return chosen.isEmpty() ? SERVER_GC : chosen;
    }

    private static boolean choosesGc(String jvmOption) {
        return jvmOption.matches("-XX:\\+Use\\w+GC");
    }

    private static Target start(String name, List<String> command, int port, int mqtt, Path data) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve(name + ".log").toFile());
        // Fan-out runs open more connections than a server allows by default (--max-connections
        // 10,000); by the environment, which servers from before that flag ignore.
        builder.environment().putIfAbsent("JORMUN_MAX_CONNECTIONS", "50000");
        Process p = builder.start();
        Target t = new Target(name, p, URI.create("http://127.0.0.1:" + port), mqtt, data);
        t.awaitReady();
        return t;
    }

    String name() {
        return name;
    }

    URI endpoint() {
        return endpoint;
    }

    int mqttPort() {
        return mqttPort;
    }

    Path dataDir() {
        return dataDir;
    }

    /** Waits until the server answers a request (at most 60 s). */
    void awaitReady() throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + "; see its log in " + dataDir);
            }
            try (RawHttp http = new RawHttp(endpoint)) {
                int status = http.send(RawHttp.dynamo("ListTables", "{}")).status();
                if (status < 500) {
                    return;
                }
            } catch (IOException notYet) {
                Pause.millis(50);
            }
        }
        throw new IOException(name + " did not answer within 60 s; see its log in " + dataDir);
    }

    /** User plus system CPU time the server's process has used, in milliseconds. */
    long cpuMillis() throws IOException {
        String[] stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).split("\\) ")[1].split(" ");
        long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        return ticks * 1000 / 100;
    }

    /** Resident memory of the server's process, in bytes. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return 0;
    }

    /** Stops the server (SIGTERM) and waits for it; returns how long it took to stop, in ms. */
    long stop() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        process.waitFor();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
