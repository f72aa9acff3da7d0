package io.jormundb.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * MQTT fan-out harness, over the wire only: N subscribers (QoS 1, persistent sessions unless
 * {@code --clean}) on one table's topics, one writer putting R items a second for S seconds; it
 * counts what every subscriber got (missing, duplicates), the write-to-delivery latency and the
 * server's CPU time and memory. With {@code --baseline-jar} it runs the same load against that
 * jar first and prints the ratios of this run (absolute numbers on a shared machine mean little):
 * <pre>
 *   mvn -q -DskipTests package &amp;&amp; mvn -q -pl bench exec:java -Dexec.mainClass=io.jormundb.bench.MqttFanout \
 *       -Dexec.args="--subscribers 1000 --rate 10 --seconds 30 --baseline-jar /tmp/before.jar"
 * </pre>
 */
public final class MqttFanout {
    private static final String TABLE = "fanout";
    private static final int CONNECTING_AT_ONCE = 50;

    /** One run's numbers; latencies in microseconds. */
    private record Run(String jar, long expected, long delivered, long missing, long duplicates, long[] micros,
                       double serverCpuSeconds, long serverRssKb, double connectSeconds) {
    }

    private MqttFanout() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(Bench.option(args, "--jar", "api/target/jormundb.jar"));
        String baseline = Bench.option(args, "--baseline-jar", null);
        int subscribers = Integer.parseInt(Bench.option(args, "--subscribers", "1000"));
        int rate = Integer.parseInt(Bench.option(args, "--rate", "10"));
        int seconds = Integer.parseInt(Bench.option(args, "--seconds", "30"));
        boolean persistent = !Arrays.asList(args).contains("--clean");
        List<Run> runs = new ArrayList<>();
        if (baseline != null) {
            runs.add(run(Path.of(baseline), subscribers, rate, seconds, persistent));
        }
        runs.add(run(jar, subscribers, rate, seconds, persistent));
        if (runs.size() == 2) {
            Run before = runs.get(0);
            Run after = runs.get(1);
            System.out.printf("ratios (this run, %s against %s): delivered x%.3f, p50 x%.2f, p99 x%.2f, "
                            + "server CPU x%.2f, server RSS x%.2f, connect time x%.2f%n", after.jar(), before.jar(),
                    after.delivered() / (double) before.delivered(),
                    Bench.ratio(Bench.pct(after.micros(), 50), Bench.pct(before.micros(), 50)),
                    Bench.ratio(Bench.pct(after.micros(), 99), Bench.pct(before.micros(), 99)),
                    after.serverCpuSeconds() / before.serverCpuSeconds(),
                    after.serverRssKb() / (double) before.serverRssKb(), after.connectSeconds() / before.connectSeconds());
        }
    }

    private static Run run(Path jar, int subscribers, int rate, int seconds, boolean persistent) throws Exception {
        int port = Bench.freePort();
        int mqttPort = Bench.freePort();
        Path data = Files.createTempDirectory("jormundb-fanout");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-jar", jar.toString(), "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--mqtt-port", String.valueOf(mqttPort), "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile()).start();
        String endpoint = "http://127.0.0.1:" + port;
        List<Mqtt3AsyncClient> clients = new ArrayList<>(subscribers);
        try (DynamoDbClient dynamo = Bench.client(endpoint)) {
            Bench.awaitHealthy(HttpClient.newHttpClient(), endpoint);
            dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build()));
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, LongAdder> copies = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            long connectStart = System.nanoTime();
            Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
            List<CompletableFuture<?>> subscribed = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier("fanout-" + i)
                        .serverHost("127.0.0.1").serverPort(mqttPort).buildAsync();
                String id = "fanout-" + i;
                c.publishes(MqttGlobalPublishFilter.ALL, p -> {
                    long now = System.nanoTime();
                    String topic = p.getTopic().toString();
                    String pk = topic.substring(topic.lastIndexOf('/') + 1);
                    copies.computeIfAbsent(id + "/" + pk, k -> new LongAdder()).increment();
                    Long sent = sentAt.get(pk);
                    if (sent != null) {
                        latencies.add((now - sent) / 1000);
                    }
                });
                clients.add(c);
                connecting.acquire();
                subscribed.add(c.connectWith().cleanSession(!persistent).send()
                        .thenCompose(ack -> c.subscribeWith().topicFilter("jormundb/" + TABLE + "/#")
                                .qos(MqttQos.AT_LEAST_ONCE).send())
                        .whenComplete((ok, e) -> connecting.release()));
            }
            CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            System.out.printf("phase %s: %d subscribers connected in %.1f s (%s sessions)%n", jar, subscribers,
                    connectSeconds, persistent ? "persistent" : "clean");
            long cpuBefore = cpuTicks(server.pid());
            long writes = (long) rate * seconds;
            long start = System.nanoTime();
            for (long i = 0; i < writes; i++) {
                long due = start + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the load itself, not waiting for a result
                }
                String pk = "m" + i;
                sentAt.put(pk, System.nanoTime());
                dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(pk),
                        "pad", AttributeValue.fromS("x".repeat(256)))));
            }
            long expected = writes * subscribers;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && copies.size() < expected) {
                TimeUnit.MILLISECONDS.sleep(200); // polling a count the clients' threads update
            }
            long cpuTicks = cpuTicks(server.pid()) - cpuBefore;
            long rss = rssKb(server.pid());
            long distinct = copies.size();
            long duplicates = copies.values().stream().mapToLong(LongAdder::sum).sum() - distinct;
            long[] micros;
            synchronized (latencies) {
                micros = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            Run r = new Run(jar.toString(), expected, distinct, expected - distinct, duplicates, micros,
                    cpuTicks / 100.0, rss, connectSeconds);
            System.out.printf("phase %s: %d x %d/s x %d s: delivered %d of %d (missing %d, duplicates %d), "
                            + "write-to-delivery p50 %d us p99 %d us, server CPU %.1f s, server RSS %d MB%n", jar,
                    subscribers, rate, seconds, r.delivered(), expected, r.missing(), duplicates, Bench.pct(micros, 50),
                    Bench.pct(micros, 99), r.serverCpuSeconds(), rss / 1024);
            return r;
        } finally {
            // Every client disconnected, so that their threads end and the harness exits.
            CompletableFuture.allOf(clients.stream().map(c -> c.disconnect().exceptionally(e -> null))
                    .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** User and system CPU time of a process so far, in clock ticks (Linux: 100 a second). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long rssKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
    }
}
