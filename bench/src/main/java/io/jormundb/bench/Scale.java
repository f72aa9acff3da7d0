package io.jormundb.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table of {@code items} items for the scale run: partition keys {@code g0, g1, …} with 20
 * items each (sort key 0–19), about 200 bytes an item, loaded with BatchWriteItem from several
 * connections with a progress line every 5%.
 */
final class Scale {
    private static final int PER_PARTITION = 20;
    private static final int LOADERS = 8;
    private static final String PAD = "x".repeat(170);

    private final String table;
    private final long items;

    Scale(String name, long items) {
        this.table = "scale_" + name;
        this.items = items;
    }

    void fill(URI endpoint) throws Exception {
        try (RawHttp http = new RawHttp(endpoint)) {
            RawHttp.Response r = http.send(RawHttp.dynamo("CreateTable", "{\"TableName\":\"" + table + "\","
                    + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\","
                    + "\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":"
                    + "\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}"));
            if (r.status() != 200) {
                throw new IOException("CreateTable " + table + ": " + r.text());
            }
        }
        long batches = (items + 24) / 25;
        AtomicLong next = new AtomicLong();
        AtomicLong loaded = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < LOADERS; l++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (RawHttp http = new RawHttp(endpoint)) {
                    for (long b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                        StringBuilder requests = new StringBuilder();
                        for (long i = b * 25; i < Math.min(items, (b + 1) * 25); i++) {
                            requests.append(requests.isEmpty() ? "" : ",").append("{\"PutRequest\":{\"Item\":{\"pk\":"
                                    + "{\"S\":\"g").append(i / PER_PARTITION).append("\"},\"sk\":{\"N\":\"")
                                    .append(i % PER_PARTITION).append("\"},\"pad\":{\"S\":\"").append(PAD).append("\"}}}}");
                        }
                        RawHttp.Response r = http.send(RawHttp.dynamo("BatchWriteItem", "{\"RequestItems\":{\""
                                + table + "\":[" + requests + "]}}"));
                        if (r.status() != 200) {
                            throw new IOException("BatchWriteItem: " + r.text());
                        }
                        long done = loaded.addAndGet(25);
                        if (done % Math.max(25, (items / 20 / 25) * 25) == 0) {
                            System.out.printf("phase fill %s: %d of %d items (%.0f%%), %.0f items/s%n", table, done,
                                    items, 100.0 * done / items, done / ((System.nanoTime() - start) / 1e9));
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
        System.out.printf("phase fill %s: %d items in %.0f s%n", table, items, (System.nanoTime() - start) / 1e9);
    }

    /** 10,000 GetItem or Query requests on random keys of this table. */
    List<byte[]> requests(String operation) {
        Random random = new Random(7);
        long partitions = (items + PER_PARTITION - 1) / PER_PARTITION;
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long p = Math.floorMod(random.nextLong(), partitions);
            out.add(operation.equals("GetItem")
                    ? RawHttp.dynamo("GetItem", "{\"TableName\":\"" + table + "\",\"Key\":{\"pk\":{\"S\":\"g" + p
                    + "\"},\"sk\":{\"N\":\"" + random.nextInt(PER_PARTITION) + "\"}}}")
                    : RawHttp.dynamo("Query", "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":\"pk = :p\","
                    + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"g" + p + "\"}}}"));
        }
        return out;
    }
}
