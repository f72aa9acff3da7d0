package io.jormundb.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load and latency harness. Talks to servers over the wire only (prebuilt HTTP requests, raw
 * SSE sockets, MQTT clients), starts each server it measures as a process of its own, prints a
 * line per phase, and reports ratios measured in one run (absolute numbers on a shared machine
 * mean little). Commands:
 * <pre>
 *   load        the six request mixes against JormunDB (closed loop, HdrHistogram p50/p99/p99.9)
 *   compare     the same against JormunDB, Dynalite (--dynalite DIR) and the ceiling, in one run
 *   feeds       at a fixed write rate: server CPU per write and put latency without and with one
 *               SSE and one MQTT subscriber; write-to-delivery on both (--client-warmup N: rounds
 *               against a spare server first that compile the harness's subscribers; default 3;
 *               --subscribers sse|mqtt: only that one; --mqtt-qos 0: no PUBACKs; to tell costs apart)
 *   fanout-sse  N SSE subscribers at a fixed write rate: delivered, p50/p99, server RSS
 *   fanout-mqtt N MQTT subscribers at a fixed write rate: connected, delivered, duplicates, p50/p99
 *               (--sessions persistent: clean session off)
 *   warmup      PutItem rate per second from the start of a fresh server
 *   scale       a table of --items items (default 10 million): GetItem and Query against a
 *               10,000-item table, and the restart time (--restart-jvm "...": a second restart
 *               with those JVM options, e.g. an AOT cache)
 *   smoke       a few seconds of each, failing on any error or lost change (run by mvn verify)
 *   train       the smoke run against a server that writes the AOT cache --aot-cache when it stops
 *               (JDK 25+; run by the build: bench/pom.xml)
 * </pre>
 * {@code --baseline other.jar} runs the command against that jar first and prints this jar's
 * figures as ratios to it (before/after in one run). Run {@code bench/run.sh <command> [--option
 * value]...} or {@code bench/compare.sh}; see BENCHMARKS.md.
 */
public final class Bench {
    private static final String DEFAULT_JAR = "api/target/jormundb.jar";
    private final Map<String, String> options;
    private final Path jar;
    /** The figures of this run by name ({@code PutItem req/s}, …), in the order they were taken. */
    private final Map<String, Double> figures = new LinkedHashMap<>();

    private Bench(Map<String, String> options) {
        this.options = options;
        this.jar = Path.of(option("jar", DEFAULT_JAR));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Bench load|compare|feeds|fanout-sse|fanout-mqtt|warmup|scale|smoke|train "
                    + "[--option value]...");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        try {
            System.exit(run(args[0], options) ? 0 : 1);
        } catch (BadOption e) {
            // Say which option, without a stack trace.
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Runs {@code command}, against {@code --baseline} first if given; whether it went without errors.
     * The smoke test calls it too, in its own JVM.
     */
    static boolean run(String command, Map<String, String> givenOptions) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(givenOptions);
        String baseline = options.remove("baseline");
        boolean ok = true;
        Map<String, Double> before = null;
        if (baseline != null) {
            Map<String, String> baselineOptions = new LinkedHashMap<>(options);
            baselineOptions.put("jar", baseline);
            System.out.println("phase baseline: " + command + " against " + baseline);
            Bench first = new Bench(baselineOptions);
            ok = first.command(command);
            before = first.figures;
            System.out.println("phase this: " + command + " against " + options.getOrDefault("jar", DEFAULT_JAR));
        }
        Bench bench = new Bench(options);
        ok &= bench.command(command);
        if (before != null) {
            printRatios(baseline, before, bench.figures);
        }
        return ok;
    }

    private boolean command(String name) throws Exception {
        return switch (name) {
            case "load" -> load();
            case "compare" -> compare();
            case "feeds" -> feeds();
            case "fanout-sse" -> fanOutSse();
            case "fanout-mqtt" -> fanOutMqtt();
            case "warmup" -> warmUp();
            case "scale" -> scale();
            case "smoke" -> smoke();
            case "train" -> train();
            default -> throw new BadOption("unknown command " + name);
        };
    }

    /**
     * Makes the AOT cache {@code --aot-cache} (JDK 25+) for the jar: the smoke run against a server
     * started with {@code -XX:AOTCacheOutput}, whose JVM writes the cache when it stops.
     */
    private boolean train() throws Exception {
        Path cache = Path.of(option("aot-cache", null)).toAbsolutePath().normalize();
        Files.deleteIfExists(cache);
        System.out.println("phase aot: training an AOT cache for " + jar.toAbsolutePath().normalize() + " with the smoke run");
        long start = System.nanoTime();
        options.put("jvm", (option("jvm", "") + " -XX:AOTCacheOutput=" + cache).trim());
        boolean ok = smoke();
        boolean written = Files.isRegularFile(cache);
        System.out.printf("phase aot: %s in %.0f s%n", written ? "wrote " + cache + " (" + Files.size(cache) / (1 << 20)
                + " MB); ./jormundb starts the server from it" : "no cache written", (System.nanoTime() - start) / 1e9);
        return ok && written;
    }

    /** Records one of the command's figures, which {@code --baseline} compares between two jars. */
    private void figure(String name, double value) {
        figures.put(name, value);
    }

    private static void printRatios(String baseline, Map<String, Double> before, Map<String, Double> after) {
        System.out.printf("%n%-44s %14s %14s %8s%n", "figure (this run)", "baseline", "this jar", "ratio");
        for (Map.Entry<String, Double> e : after.entrySet()) {
            Double b = before.get(e.getKey());
            double a = e.getValue();
            System.out.printf("%-44s %14.1f %14.1f %8s%n", e.getKey(), b == null ? Double.NaN : b, a,
                    b == null || b == 0 ? "n/a" : String.format("%.2f", a / b));
        }
        System.out.println("(baseline: " + baseline + ")");
    }

    private String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    /**
     * The words of option {@code name}: {@code --jvm "-XX:StartFlightRecording=filename=/tmp/x.jfr"}
     * (options for the server's JVM), {@code --flags "--mqtt-port 0"} (more server flags; the last
     * of a flag given twice wins).
     */
    private List<String> words(String name) {
        String value = option(name, "").trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    private double number(String name, double defaultValue) {
        String value = option(name, String.valueOf(defaultValue));
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new BadOption("--" + name + " takes a number, not " + value, e);
        }
    }

    private List<Workload> workloads() {
        String names = option("workloads", null);
        return names == null ? List.of(Workload.values())
                : Arrays.stream(names.split(",")).map(Bench::workload).toList();
    }

    private static Workload workload(String name) {
        try {
            return Workload.valueOf(name.trim());
        } catch (IllegalArgumentException e) {
            throw new BadOption("--workloads takes a comma-separated list of "
                    + Arrays.toString(Workload.values()) + ", not " + name, e);
        }
    }

    private Target jormundb() throws IOException {
        Target t = Target.jormundb(jar, null, words("flags"), words("jvm"));
        System.out.println("phase start: jormundb on " + t.endpoint() + ", MQTT " + t.mqttPort() + ", data in "
                + t.dataDir());
        return t;
    }

    /** The six mixes against one server; returns the results by workload. */
    private Map<Workload, LoadRun.Result> loads(Target target, boolean prepare) throws Exception {
        int connections = (int) number("connections", 16);
        double warmup = number("warmup", 15);
        double seconds = number("seconds", 8);
        if (prepare) {
            try (RawHttp http = new RawHttp(target.endpoint())) {
                Workload.prepare(http);
            }
            System.out.println("phase prepare " + target.name() + ": tables created and "
                    + (Workload.KEYS + Workload.QUERY_PARTITIONS * Workload.QUERY_PAGE) + " items loaded");
        }
        Map<Workload, LoadRun.Result> results = new LinkedHashMap<>();
        for (Workload w : workloads()) {
            LoadRun.Result r = LoadRun.run(target, w.label, w::request, connections, warmup, seconds);
            System.out.println("phase load " + r.line(target.name()));
            results.put(w, r);
            if (target.name().equals("jormundb")) {
                figure(w.label + " req/s", r.perSecond());
                figure(w.label + " p50 us", r.p(50));
                figure(w.label + " p99 us", r.p(99));
                figure(w.label + " server CPU us/req", r.cpuMicrosPerRequest());
            }
        }
        return results;
    }

    private boolean load() throws Exception {
        try (Target target = jormundb()) {
            return loads(target, true).values().stream().allMatch(r -> r.errors() == 0);
        }
    }

    private boolean compare() throws Exception {
        Map<String, Map<Workload, LoadRun.Result>> all = new LinkedHashMap<>();
        try (Target t = jormundb()) {
            all.put("jormundb", loads(t, true));
        }
        String dynalite = option("dynalite", null);
        if (dynalite != null) {
            try (Target t = Target.dynalite(Path.of(dynalite))) {
                System.out.println("phase start: dynalite on " + t.endpoint());
                all.put("dynalite", loads(t, true));
            }
        }
        try (Target t = Target.ceiling(words("jvm"))) {
            System.out.println("phase start: ceiling (Javalin answering {}) on " + t.endpoint());
            all.put("ceiling", loads(t, false));
        }
        System.out.printf("%n%-26s %12s %12s %8s %14s %16s%n", "workload", "jormundb/s", "dynalite/s", "ratio",
                "ceiling-share", "CPU/req vs ceil");
        for (Workload w : workloads()) {
            LoadRun.Result jr = all.get("jormundb").get(w);
            LoadRun.Result cr = all.get("ceiling").get(w);
            double j = served(jr);
            double d = all.containsKey("dynalite") ? served(all.get("dynalite").get(w)) : Double.NaN;
            double c = served(cr);
            double cpu = jr.cpuMicrosPerRequest() / cr.cpuMicrosPerRequest();
            System.out.printf("%-26s %12s %12s %8s %14s %16s%n", w.label, rate(j), rate(d),
                    Double.isNaN(j / d) ? "n/a" : String.format("%.2f", j / d),
                    Double.isNaN(j / c) ? "n/a" : String.format("%.0f%%", 100 * j / c),
                    Double.isNaN(cpu) ? "n/a" : String.format("x%.2f", cpu));
        }
        System.out.println("(n/a: that server answered errors to this workload, e.g. Dynalite 4.0.0 has no transactions)");
        return true;
    }

    /** Requests per second a load served, or NaN when the server answered errors instead. */
    private static double served(LoadRun.Result r) {
        return r.errors() > 0 ? Double.NaN : r.perSecond();
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "n/a" : String.format("%.0f", perSecond);
    }

    /** CPU per write and put latency at a fixed rate, without and with one SSE and one MQTT subscriber. */
    private boolean feeds() throws Exception {
        double rate = number("rate", 2000);
        double seconds = number("seconds", 10);
        int rounds = (int) number("rounds", 3);
        Subscribed measured = Subscribed.of(option("subscribers", "both"), option("mqtt-qos", "1"));
        warmSubscribers(rate, seconds, (int) number("client-warmup", 3));
        try (Target target = jormundb()) {
            Writer.createTable(target.endpoint(), "feed");
            Writer.write(target.endpoint(), "feed", rate, Math.min(seconds, 5));
            System.out.println("phase warm: " + Math.min(seconds, 5) + " s of writes at " + rate + "/s");
            // Rounds of (without, with), so that neither side is always the colder one; the first
            // round shows the first minute after start, the last one a warmer server.
            boolean complete = true;
            // The warm rounds (all of them when there is one): their means are the run's figures.
            int firstWarm = rounds == 1 ? 1 : 2;
            double without = 0;
            double with = 0;
            double minRatio = Double.MAX_VALUE;
            double maxRatio = 0;
            for (int round = 1; round <= rounds; round++) {
                System.out.println("phase round " + round + " of " + rounds);
                FeedRun bare = feedRun(target, rate, seconds, Subscribed.NONE);
                FeedRun subscribed = feedRun(target, rate, seconds, measured);
                complete &= bare.missing() == 0 && subscribed.missing() == 0;
                double ratio = subscribed.cpuMicrosPerWrite() / bare.cpuMicrosPerWrite();
                long putP99 = subscribed.put().getValueAtPercentile(99);
                System.out.printf("ratios (round %d): CPU per write with/without subscribers x%.2f; put p50 x%.2f%s%s%n",
                        round, ratio, subscribed.put().getValueAtPercentile(50) / (double) bare.put().getValueAtPercentile(50),
                        measured.sse() ? String.format("; write-to-SSE p99 − put p99 = %.1f ms",
                                (subscribed.sse().getValueAtPercentile(99) - putP99) / 1000.0) : "",
                        measured.mqtt() ? String.format("; write-to-MQTT p99 − put p99 = %.1f ms",
                                (subscribed.mqtt().getValueAtPercentile(99) - putP99) / 1000.0) : "");
                if (round >= firstWarm) {
                    without += bare.cpuMicrosPerWrite();
                    with += subscribed.cpuMicrosPerWrite();
                    minRatio = Math.min(minRatio, ratio);
                    maxRatio = Math.max(maxRatio, ratio);
                }
                if (round == rounds) {
                    figure("put p50 us with subscribers", subscribed.put().getValueAtPercentile(50));
                    if (measured.sse()) {
                        figure("write-to-SSE p99 us", subscribed.sse().getValueAtPercentile(99));
                    }
                    if (measured.mqtt()) {
                        figure("write-to-MQTT p99 us", subscribed.mqtt().getValueAtPercentile(99));
                    }
                }
            }
            // Round to round the ratio moves by ±0.2 on a quiet machine: a run of several rounds
            // compares by its mean, not by any one round.
            int warm = rounds - firstWarm + 1;
            System.out.printf("rounds %d–%d: CPU per write %.0f us without subscribers, %.0f us with (mean), "
                            + "ratio x%.2f (rounds x%.2f–x%.2f), extra %.0f us per write%n", firstWarm, rounds,
                    without / warm, with / warm, with / without, minRatio, maxRatio, (with - without) / warm);
            figure("CPU us per write without subscribers (warm rounds)", without / warm);
            figure("CPU us per write with subscribers (warm rounds)", with / warm);
            return complete;
        }
    }

    /**
     * Runs {@code rounds} rounds with subscribers against a spare server, so that the harness's own
     * subscribers (the MQTT client above all) are compiled before they measure a cold server: cold,
     * they added 28–86 ms to round 1's write-to-MQTT p99 of a server that delivered within 5 ms.
     */
    private void warmSubscribers(double rate, double seconds, int rounds) throws Exception {
        if (rounds <= 0) {
            return;
        }
        System.out.println("phase client warm-up: " + rounds + " rounds with subscribers against a spare server");
        try (Target spare = Target.jormundb(jar, null, words("flags"), List.of())) {
            Writer.createTable(spare.endpoint(), "feed");
            for (int i = 0; i < rounds; i++) {
                feedRun(spare, rate, seconds, Subscribed.BOTH);
            }
        }
        System.out.println("phase client warm-up done; the measured server starts now");
    }

    /**
     * Which subscribers a feed run opens, {@code --subscribers both|sse|mqtt}, and the QoS of the MQTT
     * one, {@code --mqtt-qos 1|0} (at 0 the client sends no PUBACKs): to tell their costs apart.
     */
    private record Subscribed(boolean sse, boolean mqtt, MqttQos mqttQos) {
        static final Subscribed NONE = new Subscribed(false, false, MqttQos.AT_LEAST_ONCE);
        static final Subscribed BOTH = new Subscribed(true, true, MqttQos.AT_LEAST_ONCE);

        static Subscribed of(String which, String qos) {
            MqttQos mqttQos = switch (qos) {
                case "1" -> MqttQos.AT_LEAST_ONCE;
                case "0" -> MqttQos.AT_MOST_ONCE;
                default -> throw new BadOption("--mqtt-qos takes 1 or 0, not " + qos);
            };
            return switch (which) {
                case "both" -> new Subscribed(true, true, mqttQos);
                case "sse" -> new Subscribed(true, false, mqttQos);
                case "mqtt" -> new Subscribed(false, true, mqttQos);
                default -> throw new BadOption("--subscribers takes both, sse or mqtt, not " + which);
            };
        }

        boolean any() {
            return sse || mqtt;
        }
    }

    private record FeedRun(double cpuMicrosPerWrite, Histogram put, Histogram sse, Histogram mqtt, long missing) {
    }

    private FeedRun feedRun(Target target, double rate, double seconds, Subscribed subscribers) throws Exception {
        Subscribers.Tally sse = new Subscribers.Tally();
        Subscribers.Tally mqtt = new Subscribers.Tally();
        Socket sseSocket = null;
        Mqtt3AsyncClient mqttClient = null;
        if (subscribers.sse()) {
            sseSocket = Subscribers.sse(target.endpoint(), "/changes/feed", sse);
        }
        if (subscribers.mqtt()) {
            mqttClient = Subscribers.mqtt(target.mqttPort(), "bench-feeds", "jormundb/feed/#", mqtt, true,
                    subscribers.mqttQos());
        }
        long cpuBefore = target.cpuMillis();
        Writer.Result w = Writer.write(target.endpoint(), "feed", rate, seconds);
        long cpu = target.cpuMillis() - cpuBefore;
        long missingSse = 0;
        long missingMqtt = 0;
        if (subscribers.sse()) {
            missingSse = awaitDeliveries(sse, w.writes());
            sseSocket.close();
        }
        if (subscribers.mqtt()) {
            missingMqtt = awaitDeliveries(mqtt, w.writes());
            mqttClient.disconnect().join();
        }
        long missing = missingSse + missingMqtt;
        FeedRun run = new FeedRun(cpu * 1000.0 / w.writes(), w.putLatency(), sse.latency.getIntervalHistogram(),
                mqtt.latency.getIntervalHistogram(), missing + w.errors());
        System.out.printf("phase feeds %s subscribers: %d writes at %.0f/s, server CPU %.0f us per write, "
                        + "put p50 %d us p99 %d us%s; errors %d, missing %d%s%n", subscribers.any() ? "with" : "without",
                w.writes(), rate, run.cpuMicrosPerWrite(), w.putLatency().getValueAtPercentile(50),
                w.putLatency().getValueAtPercentile(99),
                (subscribers.sse() ? String.format("; write-to-SSE p50 %d us p99 %d us",
                        run.sse().getValueAtPercentile(50), run.sse().getValueAtPercentile(99)) : "")
                        + (subscribers.mqtt() ? String.format("; write-to-MQTT p50 %d us p99 %d us",
                        run.mqtt().getValueAtPercentile(50), run.mqtt().getValueAtPercentile(99)) : ""),
                w.errors(), missing, missing == 0 ? "" : String.format(
                        " (SSE %d, MQTT %d; MQTT duplicates %d)", missingSse, missingMqtt, mqtt.duplicates.get()));
        return run;
    }

    /** Waits (at most 30 s) until {@code tally} has {@code expected} deliveries; returns how many are missing. */
    private static long awaitDeliveries(Subscribers.Tally tally, long expected) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (tally.delivered.get() < expected && System.nanoTime() < deadline) {
            Pause.millis(20);
        }
        return Math.max(0, expected - tally.delivered.get());
    }

    private boolean fanOutSse() throws Exception {
        int count = (int) number("subscribers", 10_000);
        double rate = number("rate", 10);
        double seconds = number("seconds", 20);
        try (Target target = jormundb()) {
            Writer.createTable(target.endpoint(), "fan");
            Subscribers.Tally tally = new Subscribers.Tally();
            long start = System.nanoTime();
            List<Socket> sockets = connectAll(count, i -> Subscribers.sse(target.endpoint(), "/changes/fan", tally));
            System.out.printf("phase fanout-sse: %d subscribers connected in %.1f s%n", sockets.size(),
                    (System.nanoTime() - start) / 1e9);
            return fanOut(target, "fan", tally, sockets.size(), rate, seconds, () -> {
                for (Socket s : sockets) {
                    s.close();
                }
            });
        }
    }

    private boolean fanOutMqtt() throws Exception {
        int count = (int) number("subscribers", 1000);
        boolean clean = !option("sessions", "clean").equals("persistent");
        double rate = number("rate", 10);
        double seconds = number("seconds", 20);
        try (Target target = jormundb()) {
            Writer.createTable(target.endpoint(), "fan");
            Subscribers.Tally tally = new Subscribers.Tally();
            long start = System.nanoTime();
            List<Mqtt3AsyncClient> clients = connectAll(count,
                    i -> Subscribers.mqtt(target.mqttPort(), "bench-fan-" + i, "jormundb/fan/#", tally, clean,
                            MqttQos.AT_LEAST_ONCE));
            System.out.printf("phase fanout-mqtt: %d of %d subscribers connected in %.1f s%n", clients.size(), count,
                    (System.nanoTime() - start) / 1e9);
            return clients.size() == count & fanOut(target, "fan", tally, clients.size(), rate, seconds, () -> {
                for (Mqtt3AsyncClient c : clients) {
                    c.disconnect();
                }
            });
        }
    }

    private interface Closer {
        void close() throws IOException;
    }

    private interface Connect<T> {
        T connect(int i) throws Exception;
    }

    /** Connects {@code count} subscribers, 64 at a time; those that fail are left out (and reported). */
    private static <T> List<T> connectAll(int count, Connect<T> connect) throws InterruptedException {
        List<T> out = new ArrayList<>();
        AtomicLong failed = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(64, Thread.ofVirtual().factory())) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> connect.connect(n)));
            }
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failed.incrementAndGet();
                }
            }
        }
        if (failed.get() > 0) {
            System.out.println("phase connect: " + failed.get() + " subscribers could not connect");
        }
        return out;
    }

    private boolean fanOut(Target target, String table, Subscribers.Tally tally, int subscribers, double rate,
                           double seconds, Closer close) throws Exception {
        // First a few seconds whose latencies are dropped: the subscribers' side of this JVM warms up
        // (without it the first jar of a --baseline run measured up to 4x the p99 of the second).
        double warmup = number("warmup", 5);
        long deliveredBefore = 0;
        long warmMissing = 0;
        if (warmup > 0) {
            Writer.Result warm = Writer.write(target.endpoint(), table, rate, warmup);
            warmMissing = awaitDeliveries(tally, warm.writes() * subscribers);
            tally.latency.getIntervalHistogram();
            deliveredBefore = tally.delivered.get();
            System.out.printf("phase fanout warm-up: %d writes at %.0f/s, %d deliveries missing (latencies dropped)%n",
                    warm.writes(), rate, warmMissing);
        }
        long cpuBefore = target.cpuMillis();
        Writer.Result w = Writer.write(target.endpoint(), table, rate, seconds);
        long expected = w.writes() * subscribers;
        long missing = awaitDeliveries(tally, deliveredBefore + expected);
        long delivered = tally.delivered.get() - deliveredBefore;
        double cpuMicrosPerDelivery = (target.cpuMillis() - cpuBefore) * 1000.0 / Math.max(1, delivered);
        long extra = Math.max(0, delivered - expected);
        Histogram latency = tally.latency.getIntervalHistogram();
        long rss = target.rssBytes();
        close.close();
        System.out.printf("phase fanout: %d writes at %.0f/s to %d subscribers: %d of %d delivered, %d duplicates, "
                        + "p50 %d ms p99 %d ms max %d ms, server RSS %d MB, server CPU %.1f us per delivery, "
                        + "write errors %d%n", w.writes(), rate,
                subscribers, delivered, expected, tally.duplicates.get(),
                latency.getValueAtPercentile(50) / 1000, latency.getValueAtPercentile(99) / 1000,
                latency.getMaxValue() / 1000, rss >> 20, cpuMicrosPerDelivery, w.errors());
        figure("fan-out delivered", delivered);
        figure("fan-out duplicates", tally.duplicates.get());
        figure("fan-out p50 ms", latency.getValueAtPercentile(50) / 1000.0);
        figure("fan-out p99 ms", latency.getValueAtPercentile(99) / 1000.0);
        figure("fan-out server RSS MB", rss >> 20);
        figure("fan-out server CPU us per delivery", cpuMicrosPerDelivery);
        return missing == 0 && warmMissing == 0 && extra == 0 && w.errors() == 0;
    }

    /** PutItem completions per second from the first request a fresh server gets. */
    private boolean warmUp() throws Exception {
        int seconds = (int) number("seconds", 30);
        int connections = (int) number("connections", 16);
        try (Target target = jormundb()) {
            try (RawHttp http = new RawHttp(target.endpoint())) {
                Workload.prepare(http);
            }
            long[] perSecond = new long[seconds];
            long start = System.nanoTime();

            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                long offset = c * 1_000_000_000L;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (RawHttp http = new RawHttp(target.endpoint())) {
                        for (long i = offset; ; i++) {
                            http.send(Workload.PUT_ITEM.request(i));
                            int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                            if (second >= seconds) {
                                return;
                            }
                            synchronized (perSecond) {
                                perSecond[second]++;
                            }
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            double steady = Arrays.stream(perSecond, seconds - 5, seconds).average().orElse(0);
            int reached = -1;
            for (int s = 0; s < seconds; s++) {
                System.out.printf("phase warmup second %2d: %6d PutItem/s (%3.0f%% of steady)%n", s + 1, perSecond[s],
                        100 * perSecond[s] / steady);
                if (reached < 0 && perSecond[s] >= 0.8 * steady) {
                    reached = s + 1;
                }
            }
            System.out.printf("warm-up: 80%% of the steady rate (%.0f/s, last 5 s) reached in second %d%n", steady,
                    reached);
            figure("warm-up steady PutItem/s", steady);
            figure("warm-up second reaching 80%", reached);
            figure("warm-up first 10 s PutItem/s", Arrays.stream(perSecond, 0, Math.min(10, seconds)).average()
                    .orElse(0));
            return true;
        }
    }

    /** GetItem and Query latency on a big table against a 10,000-item one, and the restart time with it. */
    private boolean scale() throws Exception {
        long items = (long) number("items", 10_000_000);
        Path data;
        try (Target target = jormundb()) {
            Scale small = new Scale("small", 10_000);
            Scale big = new Scale("big", items);
            small.fill(target.endpoint());
            big.fill(target.endpoint());
            for (String operation : List.of("GetItem", "Query")) {
                List<byte[]> smallRequests = small.requests(operation);
                List<byte[]> bigRequests = big.requests(operation);
                LoadRun.Result s = LoadRun.run(target, operation + " 10k",
                        n -> smallRequests.get((int) (n % smallRequests.size())), 4, 5, 10);
                LoadRun.Result b = LoadRun.run(target, operation + " " + items,
                        n -> bigRequests.get((int) (n % bigRequests.size())), 4, 5, 10);
                System.out.println("phase scale " + s.line("jormundb"));
                System.out.println("phase scale " + b.line("jormundb"));
                System.out.printf("ratio %s %d items / 10,000 items: p50 x%.2f, p99 x%.2f%n", operation, items,
                        b.p(50) / (double) s.p(50), b.p(99) / (double) s.p(99));
            }
            data = target.dataDir();
            System.out.println("phase scale stop: " + target.stop() + " ms");
        }
        for (List<String> jvm : words("restart-jvm").isEmpty() ? List.of(words("jvm"))
                : List.of(words("jvm"), words("restart-jvm"))) {
            long start = System.nanoTime();
            try (Target again = Target.jormundb(jar, data, words("flags"), jvm)) {
                System.out.printf("restart with %d items%s: ready in %.1f s%n", items,
                        jvm.isEmpty() ? "" : " (JVM options " + String.join(" ", jvm) + ")",
                        (System.nanoTime() - start) / 1e9);
            }
        }
        return true;
    }

    /** A few seconds of everything; false on any error or any change not delivered. */
    private boolean smoke() throws Exception {
        options.putIfAbsent("warmup", "0.5");
        options.putIfAbsent("seconds", "1");
        options.putIfAbsent("connections", "4");
        boolean ok;
        try (Target target = jormundb()) {
            ok = loads(target, true).values().stream().allMatch(r -> r.errors() == 0 && r.requests() > 0);
            Writer.createTable(target.endpoint(), "feed");
            ok &= feedRun(target, 200, 1, Subscribed.BOTH).missing() == 0;
            Subscribers.Tally tally = new Subscribers.Tally();
            List<Socket> sockets = connectAll(20, i -> Subscribers.sse(target.endpoint(), "/changes/feed", tally));
            ok &= fanOut(target, "feed", tally, sockets.size(), 50, 1, () -> {
                for (Socket s : sockets) {
                    s.close();
                }
            });
        }
        System.out.println("smoke: " + (ok ? "ok" : "FAILED"));
        return ok;
    }

    /** A command or an option the harness does not take (an unknown workload, a number that is not one). */
    private static final class BadOption extends IllegalArgumentException {
        BadOption(String message) {
            super(message);
        }

        BadOption(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
