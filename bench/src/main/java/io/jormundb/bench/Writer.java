package io.jormundb.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes at a fixed rate (open loop: each write has its scheduled send time), from a few
 * connections, to table {@code table}: PutItem of about 200 bytes carrying {@code t}, its send
 * time in {@code System.nanoTime()}, which the {@link Subscribers} read back.
 */
final class Writer {
    private static final int CONNECTIONS = 4;
    private static final String PAD = "x".repeat(150);

    /** What the writers did: writes answered 200, errors, and put latency (µs). */
    record Result(long writes, long errors, Histogram putLatency) {
    }

    private Writer() {
    }

    static Result write(URI endpoint, String table, double perSecond, double seconds) throws InterruptedException {
        long total = (long) (perSecond * seconds);
        // New keys each run: every change is an INSERT, whose JSON holds t once (no old image).
        String run = Long.toString(System.nanoTime(), 36);
        long start = System.nanoTime() + 50_000_000L;
        double interval = 1e9 / perSecond;
        AtomicLong writes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int connection = c;
            Histogram h = new Histogram(60_000_000L, 3);
            histograms.add(h);
            threads.add(Thread.ofPlatform().name("writer-" + c).start(() -> {
                try (RawHttp http = new RawHttp(endpoint)) {
                    for (long i = connection; i < total; i += CONNECTIONS) {
                        Pause.until(start + (long) (i * interval));
                        long sent = System.nanoTime();
                        RawHttp.Response r = http.send(RawHttp.dynamo("PutItem", Workload.put(table,
                                "{\"pk\":{\"S\":\"w" + run + "-" + i + "\"},\"t\":{\"N\":\"" + sent + "\"},\"pad\":{\"S\":\""
                                        + PAD + "\"}}")));
                        h.recordValue(Math.min((System.nanoTime() - sent) / 1000, 59_000_000L));
                        (r.status() == 200 ? writes : errors).incrementAndGet();
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Histogram all = new Histogram(60_000_000L, 3);
        histograms.forEach(all::add);
        return new Result(writes.get(), errors.get(), all);
    }

    /** Creates {@code table} (partition key pk) if it is not there. */
    static void createTable(URI endpoint, String table) throws IOException {
        try (RawHttp http = new RawHttp(endpoint)) {
            RawHttp.Response r = http.send(RawHttp.dynamo("CreateTable", "{\"TableName\":\"" + table
                    + "\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":"
                    + "[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}"));
            if (r.status() != 200 && !r.text().contains("ResourceInUse")) {
                throw new IOException("CreateTable " + table + " answered " + r.status() + ": " + r.text());
            }
        }
    }
}
