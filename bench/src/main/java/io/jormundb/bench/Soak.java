package io.jormundb.bench;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crash soak, over the wire only: the jar as a child process, W writers doing mixed writes (puts,
 * updates, deletes, two-item transactions) and S SSE subscribers following the table's feed, while
 * the server is killed with SIGKILL every K seconds and started again on the same data directory
 * and port. After each restart, with the writers paused, it checks:
 * <ul>
 *   <li>no acknowledged write is lost: a consistent scan equals the model of every acknowledged
 *   write (a write that failed is retried until acknowledged, so the model is exact);</li>
 *   <li>the changelog is gapless: every subscriber saw each partition's sequence 1, 2, 3, … with
 *   no gap and no duplicate, across all its reconnections (each resumes with Last-Event-ID);</li>
 *   <li>every subscriber resumed exactly: each reaches the same last sequence of every partition,
 *   and the last change it saw of each key is the model's value.</li>
 * </ul>
 * Prints a line per round and {@code SOAK PASSED} (exit 0) or {@code SOAK FAILED} (exit 1):
 * <pre>
 *   scripts/soak.sh --minutes 5 --kill-every 20 --writers 4 --subscribers 3
 * </pre>
 */
public final class Soak {
    private static final String TABLE = "soak";
    private static final Pattern SEQUENCE = Pattern.compile("\"partition\":(\\d+),\"sequence\":(\\d+)");
    private static final Pattern KEY = Pattern.compile("\"Keys\":\\{\"pk\":\\{\"S\":\"([^\"]+)\"}}");
    private static final Pattern NEW_VALUE = Pattern.compile(
            "\"NewImage\":\\{(?:[^{}]|\\{[^{}]*})*?\"v\":\\{\"S\":\"([^\"]+)\"}");

    private final Path jar;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process server;
    /** Writers hold the read side for each write; a check takes the write side, so it sees no write half done. */
    private final ReentrantReadWriteLock pause = new ReentrantReadWriteLock();
    /** Every key's value as of its last acknowledged write; empty: deleted. */
    private final Map<String, Optional<String>> model = new ConcurrentHashMap<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private Soak(Path jar, Path dataDir, int port) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling("server.log");
        this.port = port;
    }

    /** The value after {@code name} in {@code args}, or {@code defaultValue}. */
    private static String option(String[] args, String name, String defaultValue) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(option(args, "--jar", "api/target/jormundb.jar")).toAbsolutePath();
        double minutes = Double.parseDouble(option(args, "--minutes", "5"));
        int killEvery = Integer.parseInt(option(args, "--kill-every", "20"));
        int writers = Integer.parseInt(option(args, "--writers", "4"));
        int subscribers = Integer.parseInt(option(args, "--subscribers", "3"));
        Path work = Files.createTempDirectory("jormundb-soak");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Soak soak = new Soak(jar, work.resolve("data"), port);
        System.out.printf("soak: %s for %.1f min, kill -9 every %d s, %d writers, %d SSE subscribers; server log %s%n",
                jar, minutes, killEvery, writers, subscribers, soak.log);
        boolean passed = soak.run(Duration.ofMillis((long) (minutes * 60_000)), Duration.ofSeconds(killEvery),
                writers, subscribers);
        System.out.println(passed ? "SOAK PASSED" : "SOAK FAILED:\n  " + String.join("\n  ", soak.failures));
        System.exit(passed ? 0 : 1);
    }

    private boolean run(Duration total, Duration killEvery, int writerCount, int subscriberCount) throws Exception {
        start();
        try (DynamoDbClient client = client()) {
            client.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
            List<Subscriber> subscribers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < subscriberCount; i++) {
                Subscriber s = new Subscriber(i);
                subscribers.add(s);
                threads.add(Thread.ofPlatform().name("subscriber-" + i).start(s::follow));
            }
            for (int i = 0; i < writerCount; i++) {
                int id = i;
                threads.add(Thread.ofPlatform().name("writer-" + i).start(() -> write(id)));
            }
            long end = System.nanoTime() + total.toNanos();
            for (int round = 1; System.nanoTime() < end && failures.isEmpty(); round++) {
                LockSupport.parkNanos(Math.min(killEvery.toNanos(), Math.max(0, end - System.nanoTime())));
                long killedAt = System.nanoTime();
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                start();
                double restartSeconds = (System.nanoTime() - killedAt) / 1e9;
                check(client, subscribers, "round " + round + ": kill -9, restarted in "
                        + String.format("%.1f s", restartSeconds));
            }
            running.set(false);
            for (Thread t : threads) {
                t.interrupt();
                t.join(10_000);
            }
        } finally {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        return failures.isEmpty();
    }

    /** Pauses the writers, then compares the table and every subscriber with the model. */
    private void check(DynamoDbClient client, List<Subscriber> subscribers, String round) {
        pause.writeLock().lock();
        try {
            Map<String, String> stored = new HashMap<>();
            client.scanPaginator(ScanRequest.builder().tableName(TABLE).consistentRead(true).build()).items()
                    .forEach(item -> stored.put(item.get("pk").s(), item.get("v").s()));
            long lost = 0;
            for (Map.Entry<String, Optional<String>> e : model.entrySet()) {
                String expected = e.getValue().orElse(null);
                String actual = stored.get(e.getKey());
                if (!java.util.Objects.equals(expected, actual)) {
                    lost++;
                    failures.add(round + ": key " + e.getKey() + " is " + actual + ", acknowledged " + expected);
                }
            }
            // A marker write: a subscriber that saw it saw everything before it (feeds deliver in order).
            String marker = "marker-" + round.split(":")[0].replace(' ', '-');
            client.putItem(b -> b.tableName(TABLE).item(item(marker, marker)));
            model.put(marker, Optional.of(marker));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && !subscribers.stream().allMatch(s -> marker.equals(s.lastValue.get(marker)))) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            Map<Integer, Long> reference = subscribers.get(0).lastSequence;
            long records = reference.values().stream().mapToLong(Long::longValue).sum();
            for (Subscriber s : subscribers) {
                if (!s.lastSequence.equals(reference)) {
                    failures.add(round + ": subscriber " + s.id + " is at " + s.lastSequence + ", another at " + reference);
                }
                for (Map.Entry<String, Optional<String>> e : model.entrySet()) {
                    String seen = s.lastValue.get(e.getKey());
                    if (!java.util.Objects.equals(e.getValue().orElse(null), seen)) {
                        failures.add(round + ": subscriber " + s.id + " last saw " + e.getKey() + " = " + seen
                                + ", acknowledged " + e.getValue().orElse(null));
                        break;
                    }
                }
                failures.addAll(s.violations);
                s.violations.clear();
            }
            System.out.printf("%s; %d writes acknowledged (%d retried), %d keys, %d lost; changelog %d records in %d "
                            + "partitions; %d subscribers, %d reconnections, %s%n", round, acknowledged.get(),
                    retried.get(), model.size(), lost, records, reference.size(), subscribers.size(),
                    subscribers.stream().mapToLong(s -> s.reconnections.get()).sum(),
                    failures.isEmpty() ? "gapless, no duplicate, all resumed exactly" : failures.size() + " FAILURES");
        } finally {
            pause.writeLock().unlock();
        }
    }

    /** One writer: its own keys, each write retried until acknowledged. */
    private void write(int id) {
        Random random = new Random(id);
        List<String> live = new ArrayList<>();
        long n = 0;
        try (DynamoDbClient client = client()) {
            while (running.get()) {
                String value = "w" + id + "-" + n++;
                int dice = random.nextInt(100);
                if (dice < 55 || live.size() < 5) {
                    String key = value;
                    acknowledge(() -> client.putItem(b -> b.tableName(TABLE).item(item(key, value))));
                    model.put(key, Optional.of(value));
                    live.add(key);
                } else if (dice < 80) {
                    String key = live.get(random.nextInt(live.size()));
                    acknowledge(() -> client.updateItem(b -> b.tableName(TABLE)
                            .key(Map.of("pk", AttributeValue.fromS(key))).updateExpression("SET v = :v")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value)))));
                    model.put(key, Optional.of(value));
                } else if (dice < 92) {
                    String key = live.remove(random.nextInt(live.size()));
                    acknowledge(() -> client.deleteItem(b -> b.tableName(TABLE)
                            .key(Map.of("pk", AttributeValue.fromS(key)))));
                    model.put(key, Optional.empty());
                } else {
                    String a = value + "a";
                    String b2 = value + "b";
                    acknowledge(() -> client.transactWriteItems(b -> b.transactItems(
                            TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(item(a, value)).build())
                                    .build(),
                            TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(item(b2, value)).build())
                                    .build())));
                    model.put(a, Optional.of(value));
                    model.put(b2, Optional.of(value));
                    live.add(a);
                    live.add(b2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, AttributeValue> item(String key, String value) {
        return Map.of("pk", AttributeValue.fromS(key), "v", AttributeValue.fromS(value));
    }

    /**
     * Runs {@code write} until the server acknowledges it (retrying through kills), under the
     * read side of {@link #pause}; the caller updates the model after, still outside a check.
     */
    private void acknowledge(Runnable write) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            pause.readLock().lockInterruptibly();
            try {
                write.run();
                acknowledged.incrementAndGet();
                if (attempt > 0) {
                    retried.incrementAndGet();
                }
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    throw new InterruptedException("soak over");
                }
            } finally {
                pause.readLock().unlock();
            }
            Thread.sleep(100);
        }
    }

    /** One SSE subscriber of the table's feed, resuming with Last-Event-ID after every disconnection. */
    private final class Subscriber {
        final int id;
        final Map<Integer, Long> lastSequence = new ConcurrentHashMap<>();
        final Map<String, String> lastValue = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final AtomicLong reconnections = new AtomicLong();
        private volatile String lastId;

        Subscriber(int id) {
            this.id = id;
        }

        void follow() {
            HttpClient http = HttpClient.newHttpClient();
            while (running.get()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/changes/" + TABLE + (lastId == null ? "?since=trim_horizon" : "")));
                if (lastId != null) {
                    request.header("Last-Event-ID", lastId);
                }
                try {
                    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        violations.add("subscriber " + id + " resumed from " + lastId + ": HTTP " + response.statusCode()
                                + " " + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
                        return;
                    }
                    if (lastId != null) {
                        reconnections.incrementAndGet();
                    }
                    read(response.body());
                } catch (IOException e) {
                    // The server was killed: resume from the last id.
                } catch (InterruptedException e) {
                    return;
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }

        private void read(InputStream body) throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String id = null;
            String data = null;
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty()) {
                    if (data != null) {
                        deliver(data);
                    }
                    if (id != null) {
                        lastId = id;
                    }
                    id = null;
                    data = null;
                }
            }
        }

        private void deliver(String data) {
            Matcher seq = SEQUENCE.matcher(data);
            Matcher key = KEY.matcher(data);
            if (!seq.find() || !key.find()) {
                violations.add("subscriber " + this.id + ": unexpected event " + data);
                return;
            }
            int partition = Integer.parseInt(seq.group(1));
            long sequence = Long.parseLong(seq.group(2));
            long previous = lastSequence.getOrDefault(partition, 0L);
            if (sequence != previous + 1) {
                violations.add("subscriber " + this.id + ": partition " + partition + " sequence " + sequence
                        + " after " + previous + (sequence <= previous ? " (a duplicate)" : " (a gap)"));
            }
            lastSequence.put(partition, Math.max(previous, sequence));
            Matcher value = NEW_VALUE.matcher(data);
            if (data.contains("\"eventName\":\"REMOVE\"")) {
                lastValue.remove(key.group(1));
            } else if (value.find()) {
                lastValue.put(key.group(1), value.group(1));
            }
        }
    }

    private void start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-jar", jar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--mqtt-port", "0", "--data-dir", dataDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        server = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new IllegalStateException("the server did not answer /health in 90 s; see " + log);
    }

    private DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("soak", "soak")))
                .httpClient(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(20)))
                .build();
    }
}
