package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.value.Item;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Capacity units as DynamoDB computes them, collected per table for one request and rendered
 * as ConsumedCapacity when ReturnConsumedCapacity asks for it: a read unit per 4 KB (rounded
 * up, at least one; half for an eventually consistent read), a write unit per 1 KB (rounded up,
 * at least one), twice that inside a transaction. Not thread-safe: one per request.
 */
final class Capacity {
    private static final long READ_UNIT_BYTES = 4096;
    private static final long WRITE_UNIT_BYTES = 1024;

    private final String mode;
    private final Map<String, double[]> byTable = new LinkedHashMap<>();

    private Capacity(String mode) {
        this.mode = mode;
    }

    /** Reads ReturnConsumedCapacity (INDEXES, TOTAL or NONE). */
    static Capacity of(Request request) {
        return new Capacity(request.enumValue("ReturnConsumedCapacity", Set.of("INDEXES", "TOTAL", "NONE"), "NONE"));
    }

    /** Checks ReturnItemCollectionMetrics; with no local secondary indexes there are never metrics to return. */
    static void checkItemCollectionMetrics(Request request) {
        request.enumValue("ReturnItemCollectionMetrics", Set.of("SIZE", "NONE"), "NONE");
    }

    static double readUnits(long bytes, boolean consistent) {
        long units = Math.max(1, (bytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
        return consistent ? units : units / 2.0;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, (bytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }

    /** Size of an item, or 0 when absent. */
    static long size(Item item) {
        return item == null ? 0 : item.size();
    }

    void read(String table, double units) {
        byTable.computeIfAbsent(table, t -> new double[2])[0] += units;
    }

    void write(String table, double units) {
        byTable.computeIfAbsent(table, t -> new double[2])[1] += units;
    }

    boolean wanted() {
        return !mode.equals("NONE");
    }

    /** Adds {@code ConsumedCapacity} for a single-table operation when asked for. */
    void render(ObjectNode response, String table) {
        if (wanted()) {
            response.set("ConsumedCapacity", entry(table, byTable.getOrDefault(table, new double[2])));
        }
    }

    /** Adds {@code ConsumedCapacity} as a list, one entry per table (batches and transactions). */
    void renderAll(ObjectNode response) {
        if (wanted()) {
            ArrayNode list = response.putArray("ConsumedCapacity");
            byTable.forEach((table, units) -> list.add(entry(table, units)));
        }
    }

    private ObjectNode entry(String table, double[] units) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("TableName", table);
        units(e, units);
        if (mode.equals("INDEXES")) {
            units(e.putObject("Table"), units);
        }
        return e;
    }

    private static void units(ObjectNode node, double[] units) {
        node.put("CapacityUnits", units[0] + units[1]);
        if (units[0] > 0) {
            node.put("ReadCapacityUnits", units[0]);
        }
        if (units[1] > 0) {
            node.put("WriteCapacityUnits", units[1]);
        }
    }
}
