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
 * as ConsumedCapacity when ReturnConsumedCapacity asks for it:
 * <ul>
 *   <li>reads: a unit per 4 KB of the item (rounded up, at least one, so a missing item costs
 *       one too), half of that when eventually consistent; Query and Scan add up the sizes of
 *       the items they read before rounding, batches round every item on its own;</li>
 *   <li>writes: a unit per 1 KB (rounded up, at least one) of the larger of the item before and
 *       after;</li>
 *   <li>transactions: twice that (a prepare and a commit per item), also for ConditionCheck,
 *       which DynamoDB bills as a write.</li>
 * </ul>
 * Standard operations report only {@code CapacityUnits}; transactional ones also split it into
 * {@code ReadCapacityUnits} and {@code WriteCapacityUnits}, as DynamoDB does. INDEXES adds the
 * {@code Table} breakdown; what secondary indexes consume is not broken out (JormunDB does not
 * throttle, so it charges nothing for them). Not thread-safe: one per request.
 */
final class Capacity {
    private static final long READ_UNIT_BYTES = 4096;
    private static final long WRITE_UNIT_BYTES = 1024;
    private static final int TRANSACTION_FACTOR = 2;

    private final String mode;
    private final boolean split;
    private final Map<String, double[]> byTable = new LinkedHashMap<>();

    private Capacity(String mode, boolean split) {
        this.mode = mode;
        this.split = split;
    }

    /** Reads ReturnConsumedCapacity (INDEXES, TOTAL or NONE) of a standard operation. */
    static Capacity of(Request request) {
        return new Capacity(mode(request), false);
    }

    /** Reads ReturnConsumedCapacity of TransactWriteItems or TransactGetItems. */
    static Capacity transactional(Request request) {
        return new Capacity(mode(request), true);
    }

    private static String mode(Request request) {
        return request.enumValue("ReturnConsumedCapacity", Set.of("INDEXES", "TOTAL", "NONE"), "NONE");
    }

    /**
     * Checks ReturnItemCollectionMetrics. DynamoDB returns item collection metrics only for
     * tables with local secondary indexes; JormunDB neither limits item collections nor reports
     * their size, so there are never any to return.
     */
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

    /** Read units of one item read in a transaction (or an idempotent replay). */
    static double transactionalReadUnits(long bytes) {
        return TRANSACTION_FACTOR * readUnits(bytes, true);
    }

    /** Write units of one action of TransactWriteItems. */
    static double transactionalWriteUnits(long bytes) {
        return TRANSACTION_FACTOR * writeUnits(bytes);
    }

    /** Size of an item, or 0 when absent. */
    static long size(Item item) {
        return item == null ? 0 : item.size();
    }

    /** The size a write is billed on: the larger of the item before and after. */
    static long writeSize(Item before, Item after) {
        return Math.max(size(before), size(after));
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

    private void units(ObjectNode node, double[] units) {
        node.put("CapacityUnits", units[0] + units[1]);
        if (split && units[0] > 0) {
            node.put("ReadCapacityUnits", units[0]);
        }
        if (split && units[1] > 0) {
            node.put("WriteCapacityUnits", units[1]);
        }
    }
}
