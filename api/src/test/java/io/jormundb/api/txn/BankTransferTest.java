package io.jormundb.api.txn;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.api.EventStream;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.jormundb.api.EventStream.changes;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.txn.Tables.key;
import static io.jormundb.api.txn.TransactGetItemsTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Money moves between accounts in conditional transactions while a reader sums every balance
 * with TransactGetItems.
 * <ul>
 *   <li>allowed: any interleaving of whole transfers; a transfer cancelled for lack of funds;</li>
 *   <li>forbidden: a read whose total differs from the start (part of a transfer seen), a
 *       negative balance, a change record of a cancelled transfer, a committed transfer with
 *       other than one record per account it changed.</li>
 * </ul>
 */
class BankTransferTest {
    private static final int ACCOUNTS = 20;
    private static final long START_BALANCE = 1000;
    private static final long TOTAL = ACCOUNTS * START_BALANCE;
    private static final int WRITERS = 8;
    private static final int TRANSFERS_PER_WRITER = 40;
    /** Writers stop early on a slow machine; every claim below holds for any number of transfers. */
    private static final long DEADLINE_NANOS = 20_000_000_000L;

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)));

    private static String account(int i) {
        return String.format("acct-%02d", i);
    }

    private static TransactWriteItem move(String table, String id, String expression, long amount, boolean debit) {
        Update.Builder update = Update.builder().tableName(table).key(key(id)).updateExpression(expression)
                .expressionAttributeValues(Map.of(":a", n(amount)));
        if (debit) {
            update.conditionExpression("balance >= :a");
        }
        return TransactWriteItem.builder().update(update.build()).build();
    }

    private static List<TransactWriteItem> transfer(String table, String from, String to, long amount) {
        return List.of(move(table, from, "SET balance = balance - :a", amount, true),
                move(table, to, "SET balance = balance + :a", amount, false));
    }

    /** Sums every balance in one TransactGetItems; records a negative balance as a total of -1. */
    private static long total(String table) {
        List<TransactGetItem> gets = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            gets.add(get(table, key(account(i))));
        }
        long sum = 0;
        for (ItemResponse response : SERVER.client().transactGetItems(b -> b.transactItems(gets)).responses()) {
            long balance = Long.parseLong(response.item().get("balance").n());
            if (balance < 0) {
                return -1;
            }
            sum += balance;
        }
        return sum;
    }

    @Test
    void concurrentTransfersNeverChangeTheTotalAnyReaderSeesAndLeaveOneRecordPerChangedAccount()
            throws Exception {
        String table = Tables.create(SERVER.client(), "Bank");
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = account(i);
            SERVER.client().putItem(b -> b.tableName(table).item(Tables.item(id, "balance", START_BALANCE)));
        }
        long recordsBefore = Tables.changeRecords(SERVER.server(), table);

        AtomicInteger attempted = new AtomicInteger();
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Long> badTotals = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        try (ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1)) {
            Future<?> reader = threads.submit(() -> {
                while (writing.get()) {
                    long total = total(table);
                    reads.incrementAndGet();
                    if (total != TOTAL) {
                        badTotals.add(total);
                    }
                }
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Random random = new Random(w);
                writers.add(threads.submit(() -> {
                    for (int t = 0; t < TRANSFERS_PER_WRITER && System.nanoTime() < deadline; t++) {
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        // The first transfer of every writer is more than the bank holds: always cancelled.
                        long amount = t == 0 ? TOTAL + 1 : 1 + random.nextInt(500);
                        attempted.incrementAndGet();
                        try {
                            SERVER.client().transactWriteItems(b -> b.transactItems(
                                    transfer(table, account(from), account(to), amount)));
                            committed.incrementAndGet();
                        } catch (TransactionCanceledException e) {
                            assertEquals(List.of(
                                    CancellationReason.builder().code("ConditionalCheckFailed")
                                            .message("The conditional request failed").build(),
                                    CancellationReason.builder().code("None").build()), e.cancellationReasons());
                            cancelled.incrementAndGet();
                        }
                    }
                }));
            }
            try {
                for (Future<?> writer : writers) {
                    writer.get();
                }
            } finally {
                writing.set(false);
            }
            reader.get();
        }

        assertEquals(List.of(), List.copyOf(badTotals), "totals seen by TransactGetItems");
        assertTrue(reads.get() > 0);
        assertEquals(TOTAL, total(table));
        assertTrue(cancelled.get() >= WRITERS, "every writer's first transfer is cancelled");
        assertEquals(attempted.get(), committed.get() + cancelled.get());

        assertEquals(recordsBefore + 2L * committed.get(), Tables.changeRecords(SERVER.server(), table));
        URI fromTheStart = changes(SERVER.endpoint(), table, Map.of("since", "trim_horizon"));
        try (EventStream feed = EventStream.connect(fromTheStart)) {
            List<JsonNode> transfers = feed.exactly((int) (recordsBefore + 2L * committed.get())).stream()
                    .map(Event::json).filter(r -> r.has("transactionId")).toList();
            Map<String, List<JsonNode>> byTransaction = transfers.stream()
                    .collect(Collectors.groupingBy(r -> r.get("transactionId").asText()));
            assertEquals(committed.get(), byTransaction.size());
            for (List<JsonNode> records : byTransaction.values()) {
                assertEquals(2, records.size());
                long change = 0;
                for (JsonNode r : records) {
                    assertEquals("MODIFY", r.get("eventName").asText());
                    change += r.at("/dynamodb/NewImage/balance/N").asLong() - r.at("/dynamodb/OldImage/balance/N").asLong();
                }
                assertEquals(0, change, "a transfer moves money, it does not make or lose any");
            }
        }
    }
}
