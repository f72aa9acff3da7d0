package io.jormundb.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The request mixes the harness measures, against two tables: {@code bench} (partition key {@code pk}) and
 * {@code bench_sorted} (partition key {@code pk}, sort key {@code sk}). Items are about 200
 * bytes, as in the measurements of the performance issue.
 */
enum Workload {
    PUT_ITEM("PutItem"),
    GET_ITEM("GetItem"),
    UPDATE_ADD("UpdateItem ADD"),
    QUERY_20("Query of 20"),
    BATCH_WRITE_25("BatchWriteItem of 25"),
    TRANSACT_WRITE_2("TransactWriteItems of 2");

    static final String TABLE = "bench";
    static final String SORTED = "bench_sorted";
    /** Distinct keys a write workload cycles through, and items preloaded for the reads. */
    static final int KEYS = 10_000;
    static final int QUERY_PARTITIONS = 200;
    static final int QUERY_PAGE = 20;
    private static final String PAD = "x".repeat(170);

    final String label;

    Workload(String label) {
        this.label = label;
    }

    /**
     * The {@code n}-th request of this workload. Writes carry {@code n} in attribute {@code v}, so
     * every write changes its item (a put of an identical item would change nothing and write
     * nothing); reads cycle over the preloaded items.
     */
    byte[] request(long n) {
        int i = (int) (n % KEYS);
        return switch (this) {
            case PUT_ITEM -> RawHttp.dynamo("PutItem", put(TABLE, item(i, n)));
            case GET_ITEM -> RawHttp.dynamo("GetItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"pk\":{\"S\":\"k"
                    + i + "\"}}}");
            case UPDATE_ADD -> RawHttp.dynamo("UpdateItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"pk\":{\"S\":\"k"
                    + i + "\"}},\"UpdateExpression\":\"ADD #n :one\",\"ExpressionAttributeNames\":{\"#n\":\"n\"},"
                    + "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"}}}");
            case QUERY_20 -> RawHttp.dynamo("Query", "{\"TableName\":\"" + SORTED + "\",\"KeyConditionExpression\":"
                    + "\"pk = :p\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p" + (n % QUERY_PARTITIONS) + "\"}}}");
            case BATCH_WRITE_25 -> {
                StringBuilder requests = new StringBuilder();
                for (int k = 0; k < 25; k++) {
                    requests.append(k == 0 ? "" : ",").append("{\"PutRequest\":{\"Item\":")
                            .append(item((int) ((n * 25 + k) % KEYS), n)).append("}}");
                }
                yield RawHttp.dynamo("BatchWriteItem", "{\"RequestItems\":{\"" + TABLE + "\":[" + requests + "]}}");
            }
            case TRANSACT_WRITE_2 -> RawHttp.dynamo("TransactWriteItems", "{\"TransactItems\":[{\"Put\":{\"TableName\":\""
                    + TABLE + "\",\"Item\":" + item((int) (n * 2 % KEYS), n) + "}},{\"Put\":{\"TableName\":\"" + TABLE
                    + "\",\"Item\":" + item((int) ((n * 2 + 1) % KEYS), n) + "}}]}");
        };
    }

    /** Creates both tables and loads what the reads read: {@link #KEYS} items, 20 items per query partition. */
    static void prepare(RawHttp http) throws IOException {
        createTable(http, TABLE, false);
        createTable(http, SORTED, true);
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            batch.add(item(i, 0));
            if (batch.size() == 25) {
                batchWrite(http, TABLE, batch);
            }
        }
        for (int p = 0; p < QUERY_PARTITIONS; p++) {
            for (int s = 0; s < QUERY_PAGE; s++) {
                batch.add("{\"pk\":{\"S\":\"p" + p + "\"},\"sk\":{\"N\":\"" + s + "\"},\"pad\":{\"S\":\"" + PAD
                        + "\"}}");
                if (batch.size() == 25) {
                    batchWrite(http, SORTED, batch);
                }
            }
        }
        if (!batch.isEmpty()) {
            batchWrite(http, SORTED, batch);
        }
    }

    /** An item of {@link #TABLE}, about 200 bytes, with version {@code v}. */
    static String item(int i, long v) {
        return "{\"pk\":{\"S\":\"k" + i + "\"},\"v\":{\"N\":\"" + v + "\"},\"pad\":{\"S\":\"" + PAD + "\"}}";
    }

    static String put(String table, String item) {
        return "{\"TableName\":\"" + table + "\",\"Item\":" + item + "}";
    }

    private static void createTable(RawHttp http, String name, boolean sorted) throws IOException {
        String keys = sorted
                ? "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\","
                + "\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
                + "{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}]"
                : "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":"
                + "[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}]";
        RawHttp.Response r = http.send(RawHttp.dynamo("CreateTable", "{\"TableName\":\"" + name + "\"," + keys
                + ",\"BillingMode\":\"PAY_PER_REQUEST\"}"));
        if (r.status() != 200 && !r.text().contains("ResourceInUse")) {
            throw new IOException("CreateTable " + name + " answered " + r.status() + ": " + r.text());
        }
        // Dynalite creates tables asynchronously: wait until DescribeTable says ACTIVE.
        for (int attempt = 0; attempt < 600; attempt++) {
            RawHttp.Response d = http.send(RawHttp.dynamo("DescribeTable", "{\"TableName\":\"" + name + "\"}"));
            if (d.status() != 200 || d.text().contains("\"ACTIVE\"") || !d.text().contains("TableStatus")) {
                return;
            }
            Pause.millis(20);
        }
    }

    private static void batchWrite(RawHttp http, String table, List<String> items) throws IOException {
        StringBuilder requests = new StringBuilder();
        for (String item : items) {
            requests.append(requests.isEmpty() ? "" : ",").append("{\"PutRequest\":{\"Item\":").append(item).append("}}");
        }
        items.clear();
        RawHttp.Response r = http.send(RawHttp.dynamo("BatchWriteItem", "{\"RequestItems\":{\"" + table + "\":["
                + requests + "]}}"));
        if (r.status() != 200) {
            throw new IOException("BatchWriteItem answered " + r.status() + ": " + r.text());
        }
    }
}
