package io.jormundb.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load and latency harness, over the wire only: PutItem through the AWS SDK from W writer
 * threads for a fixed time, while one SSE subscriber and one MQTT subscriber (QoS 1, on the
 * table's topics) measure write-to-delivery latency (from sending the PutItem to receiving its
 * change event). Prints a line per phase and, at the end,
 * ratios between the phases of the same run (absolute times on a shared machine mean little).
 *
 * <pre>
 *   mvn -q -DskipTests package && mvn -q -pl bench exec:java -Dexec.args="--seconds 5 --writers 1,4,16"
 * </pre>
 * Without {@code --endpoint} it starts {@code api/target/jormundb.jar} on free HTTP and MQTT
 * ports and a temporary data directory, and stops it afterwards; with {@code --endpoint}, give
 * {@code --mqtt-port} to measure MQTT too.
 */
public final class Bench {
    private static final Pattern PK = Pattern.compile("\"Keys\":\\{\"pk\":\\{\"S\":\"([^\"]+)\"");

    /**
     * One phase's numbers, in microseconds: put latency; write-to-delivery (PutItem sent to its
     * event received); ack-to-delivery (PutItem answered to its event received, 0 when the event
     * came first), which is the server's push delay as a client sees it.
     */
    private record Phase(int writers, double putsPerSecond, long[] putMicros, long[] deliveryMicros,
                         long[] ackToDeliveryMicros, long[] mqttMicros, long missing) {
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = option(args, "--endpoint", null);
        Path jar = Path.of(option(args, "--jar", "api/target/jormundb.jar"));
        int seconds = Integer.parseInt(option(args, "--seconds", "5"));
        int[] writerCounts = Arrays.stream(option(args, "--writers", "1,4,16").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int itemBytes = Integer.parseInt(option(args, "--item-bytes", "256"));
        int mqttPort = Integer.parseInt(option(args, "--mqtt-port", "0"));

        Process server = null;
        if (endpoint == null) {
            int port = freePort();
            mqttPort = freePort();
            Path data = Files.createTempDirectory("jormundb-bench");
            String java = ProcessHandle.current().info().command().orElse("java");
            server = new ProcessBuilder(java, "-jar", jar.toString(), "--port", String.valueOf(port),
                    "--mqtt-port", String.valueOf(mqttPort), "--data-dir", data.toString())
                    .redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile()).start();
            endpoint = "http://127.0.0.1:" + port;
            System.out.println("phase server: started " + jar + " on " + endpoint + ", data in " + data);
        } else {
            System.out.println("phase server: using " + endpoint);
        }
        HttpClient http = HttpClient.newHttpClient();
        awaitHealthy(http, endpoint);
        try (DynamoDbClient client = client(endpoint)) {
            String table = "bench-" + System.currentTimeMillis();
            client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build()));
            System.out.println("phase table: created " + table);
            List<Phase> phases = new ArrayList<>();
            for (int writers : writerCounts) {
                phases.add(run(http, endpoint, mqttPort, table, writers, seconds, itemBytes));
            }
            report(phases);
            client.deleteTable(b -> b.tableName(table));
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor();
                System.out.println("phase server: stopped");
            }
        }
    }

    private static Phase run(HttpClient http, String endpoint, int mqttPort, String table, int writers, int seconds,
                             int itemBytes) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        List<Long> deliveries = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore delivered = new Semaphore(0);
        CountDownLatch subscribed = new CountDownLatch(1);
        HttpRequest sse = HttpRequest.newBuilder(URI.create(endpoint + "/changes/" + table + "?since=now"))
                .header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = http.send(sse, HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                subscribed.countDown();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        long now = System.nanoTime();
                        Matcher m = PK.matcher(line);
                        if (m.find()) {
                            Long sent = sentAt.get(m.group(1));
                            if (sent != null) {
                                deliveries.add((now - sent) / 1000);
                                receivedAt.put(m.group(1), now);
                            }
                        }
                        delivered.release();
                    }
                }
            } catch (IOException ignored) {
                // The harness closes the stream at the end of the phase.
            }
        });
        subscribed.await();
        List<Long> mqttDeliveries = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore mqttDelivered = new Semaphore(0);
        Mqtt3AsyncClient mqtt = null;
        if (mqttPort > 0) {
            mqtt = MqttClient.builder().useMqttVersion3().identifier("bench-" + writers + "-" + System.nanoTime())
                    .serverHost("127.0.0.1").serverPort(mqttPort).buildAsync();
            mqtt.connect().join();
            mqtt.subscribeWith().topicFilter("jormundb/" + table + "/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(publish -> {
                        long now = System.nanoTime();
                        String topic = publish.getTopic().toString();
                        Long sent = sentAt.get(topic.substring(topic.lastIndexOf('/') + 1));
                        if (sent != null) {
                            mqttDeliveries.add((now - sent) / 1000);
                        }
                        mqttDelivered.release();
                    })
                    .send().join();
        }
        System.out.println("phase writers=" + writers + ": writing for " + seconds + " s");
        String padding = "x".repeat(itemBytes);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long[][] perWriter = new long[writers][];
        List<Thread> threads = new ArrayList<>();
        AtomicLong written = new AtomicLong();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                List<Long> latencies = new ArrayList<>();
                try (DynamoDbClient client = client(endpoint)) {
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                        String pk = "w" + writers + "." + writer + "-" + i;
                        long start = System.nanoTime();
                        sentAt.put(pk, start);
                        client.putItem(b -> b.tableName(table).item(Map.of(
                                "pk", AttributeValue.fromS(pk), "pad", AttributeValue.fromS(padding))));
                        long acked = System.nanoTime();
                        ackedAt.put(pk, acked);
                        latencies.add((acked - start) / 1000);
                        written.incrementAndGet();
                    }
                }
                perWriter[writer] = latencies.stream().mapToLong(Long::longValue).toArray();
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        boolean all = delivered.tryAcquire((int) written.get(), 10, TimeUnit.SECONDS);
        response.body().close();
        long[] mqttLatencies = new long[0];
        if (mqtt != null) {
            all &= mqttDelivered.tryAcquire((int) written.get(), 10, TimeUnit.SECONDS);
            mqtt.disconnect().join();
            synchronized (mqttDeliveries) {
                mqttLatencies = mqttDeliveries.stream().mapToLong(Long::longValue).sorted().toArray();
            }
        }
        reader.join(1000);
        long[] puts = Arrays.stream(perWriter).flatMapToLong(Arrays::stream).sorted().toArray();
        long[] delivery;
        synchronized (deliveries) {
            delivery = deliveries.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        long[] ackToDelivery = receivedAt.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - ackedAt.getOrDefault(e.getKey(), e.getValue())) / 1000)
                .sorted().toArray();
        Phase phase = new Phase(writers, puts.length / (double) seconds, puts, delivery, ackToDelivery,
                mqttLatencies, all ? 0 : written.get() - Math.min(delivery.length,
                        mqtt == null ? delivery.length : mqttLatencies.length));
        System.out.printf("phase writers=%d: %d puts (%.0f/s), put p50 %d us p99 %d us; "
                        + "SSE delivered %d, write-to-delivery p50 %d us p99 %d us, ack-to-delivery p50 %d us p99 %d us; "
                        + "MQTT delivered %d, write-to-delivery p50 %d us p99 %d us; missing %d%n",
                writers, puts.length, phase.putsPerSecond(), pct(puts, 50), pct(puts, 99), delivery.length,
                pct(delivery, 50), pct(delivery, 99), pct(ackToDelivery, 50), pct(ackToDelivery, 99),
                mqttLatencies.length, pct(mqttLatencies, 50), pct(mqttLatencies, 99), phase.missing());
        return phase;
    }

    private static void report(List<Phase> phases) {
        Phase base = phases.getFirst();
        System.out.println("ratios (this run, relative to writers=" + base.writers() + "):");
        for (Phase p : phases) {
            System.out.printf("  writers=%d: throughput x%.2f, put p99 x%.2f, delivery p99 x%.2f, "
                            + "delivery p99 / put p99 = %.2f, MQTT p99 / SSE p99 = %.2f%n",
                    p.writers(), p.putsPerSecond() / base.putsPerSecond(),
                    ratio(pct(p.putMicros(), 99), pct(base.putMicros(), 99)),
                    ratio(pct(p.deliveryMicros(), 99), pct(base.deliveryMicros(), 99)),
                    ratio(pct(p.deliveryMicros(), 99), pct(p.putMicros(), 99)),
                    ratio(pct(p.mqttMicros(), 99), pct(p.deliveryMicros(), 99)));
        }
    }

    static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : a / (double) b;
    }

    static long pct(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    static DynamoDbClient client(String endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    static void awaitHealthy(HttpClient http, String endpoint) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server at " + endpoint + " did not become healthy in 30 s");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String option(String[] args, String name, String defaultValue) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }
}
