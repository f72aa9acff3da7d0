package io.jormundb.streams.json;

import io.jormundb.engine.changelog.Cause;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.EventName;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The change record JSON of SSE and MQTT: golden text freezes its fields, their order and their forms. */
class ChangeJsonTest {
    private static final Item KEYS = item("id", new AttributeValue.S("a"));
    private static final Item NEW = item("id", new AttributeValue.S("a"), "n", new AttributeValue.N(BigDecimal.ONE));
    private static final String TOKEN = "AgGQBwN6rTOt";

    @Test
    void anInsertIsThisJson() {
        ChangeRecord insert = new ChangeRecord(7, "T", 2, 17, new Position(912, 3), EventName.INSERT, KEYS, null, NEW,
                1_700_000_000_123L, Cause.USER, null);
        assertEquals("{\"eventID\":\"00000000000003900000000000000003\",\"eventName\":\"INSERT\","
                + "\"eventSource\":\"jormundb\",\"tableName\":\"T\",\"partition\":2,\"sequence\":17,"
                + "\"commitVersion\":912,\"commitIndex\":3,\"token\":\"AgGQBwN6rTOt\","
                + "\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"a\"}},\"NewImage\":{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}},"
                + "\"SequenceNumber\":\"000000000000912000003\",\"ApproximateCreationDateTime\":1700000000.123,"
                + "\"SizeBytes\":9}}", new String(ChangeJson.encode(insert, TOKEN), StandardCharsets.UTF_8));
    }

    @Test
    void aTtlRemoveInATransactionIsThisJson() {
        ChangeRecord remove = new ChangeRecord(7, "T", 2, 18, new Position(913, 0), EventName.REMOVE, KEYS, NEW, null,
                1_700_000_000_000L, Cause.TTL, "tx-1");
        assertEquals("{\"eventID\":\"00000000000003910000000000000000\",\"eventName\":\"REMOVE\","
                + "\"eventSource\":\"jormundb\",\"tableName\":\"T\",\"partition\":2,\"sequence\":18,"
                + "\"commitVersion\":913,\"commitIndex\":0,\"token\":\"AgGQBwN6rTOt\",\"transactionId\":\"tx-1\","
                + "\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"},"
                + "\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"a\"}},\"OldImage\":{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}},"
                + "\"SequenceNumber\":\"000000000000913000000\",\"ApproximateCreationDateTime\":1700000000.000,"
                + "\"SizeBytes\":9}}", new String(ChangeJson.encode(remove, TOKEN), StandardCharsets.UTF_8));
    }

    @Test
    void aRecordsPositionIsReadBackFromTheStartOfItsJson() {
        for (Position position : List.of(new Position(912, 3), new Position(1, 0),
                new Position(Long.MAX_VALUE, Position.MAX_INDEX))) {
            ChangeRecord r = new ChangeRecord(7, "T", 2, 17, position, EventName.INSERT, KEYS, null, NEW, 0, Cause.USER,
                    null);
            byte[] json = ChangeJson.encode(r, TOKEN);
            assertEquals(position, ChangeJson.positionOf(json));
            assertEquals(position, ChangeJson.positionOf(Arrays.copyOf(json, ChangeJson.POSITION_PREFIX_BYTES)));
        }
    }

    @Test
    void whatIsNoRecordHasNoPosition() {
        for (String other : List.of("", "{}", "{\"event\":\"table-deleted\",\"tableName\":\"Orders\"}",
                "{\"eventID\":\"0000000000000390000000000000000\"}", "{\"eventID\":\"000000000000039000000000000000zz\"}",
                "{\"eventID\":\"000000000000039000000000000f4240\"}", "{\"eventID\":\"000000000000039000000000000000003\"}")) {
            assertNull(ChangeJson.positionOf(other.getBytes(StandardCharsets.UTF_8)), other);
        }
        assertNull(ChangeJson.positionOf(ChangeJson.tableDeleted("Orders")));
    }

    private static Item item(Object... namesAndValues) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return new Item(m);
    }
}
