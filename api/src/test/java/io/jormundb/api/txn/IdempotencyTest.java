package io.jormundb.api.txn;

import io.jormundb.api.TestServer;
import io.jormundb.engine.write.IdempotencyTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.txn.Tables.key;
import static io.jormundb.api.txn.TransactWriteItemsTest.add;
import static io.jormundb.api.txn.TransactWriteItemsTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ClientRequestToken: one commit per token for ten minutes, across restarts, then forgotten. */
class IdempotencyTest {
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest();
    private String table;

    @BeforeEach
    void createTheCounter() {
        table = Tables.create(server.client(), "Counters");
        server.client().putItem(b -> b.tableName(table).item(Tables.item("c", "n", 0)));
    }

    /** Adds one to counter {@code c} and writes item {@code log} with the token. */
    private TransactWriteItemsResponse increment(String token) {
        return server.client().transactWriteItems(b -> b.clientRequestToken(token)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(increment()));
    }

    private List<TransactWriteItem> increment() {
        return List.of(add(table, "c", "n", 1, 0, null), put(table, Tables.item("log", "n", 1)));
    }

    private long counter() {
        return Long.parseLong(server.client().getItem(b -> b.tableName(table).key(key("c")).consistentRead(true))
                .item().get("n").n());
    }

    private IdempotencyTokens tokens() {
        return server.server().engine().writePath().idempotencyTokens();
    }

    @Test
    void aReplayWithTheSameTokenSucceedsWithoutWritingAgainAndIsBilledAsReads() {
        TransactWriteItemsResponse first = increment("token-1");
        TransactWriteItemsResponse replay = increment("token-1");

        assertEquals(1, counter());
        assertEquals(3, Tables.changeRecords(server.server(), table),
                "the initial put and the transaction's two records");
        assertEquals(List.of(ConsumedCapacity.builder().tableName(table).capacityUnits(4.0).writeCapacityUnits(4.0)
                .build()), first.consumedCapacity());
        assertEquals(List.of(ConsumedCapacity.builder().tableName(table).capacityUnits(4.0).readCapacityUnits(4.0)
                .build()), replay.consumedCapacity());
    }

    @Test
    void theSameTokenWithOtherActionsIsAParameterMismatch() {
        increment("token-2");
        IdempotentParameterMismatchException e = assertThrows(IdempotentParameterMismatchException.class,
                () -> server.client().transactWriteItems(b -> b.clientRequestToken("token-2")
                        .transactItems(add(table, "c", "n", 5, 0, null))));
        assertEquals("The request uses the same client token as a previous, but non-identical request.",
                e.awsErrorDetails().errorMessage());
        assertEquals(1, counter());
    }

    @Test
    void tokensSurviveARestart() {
        increment("token-3");
        server.restart();
        increment("token-3");
        assertEquals(1, counter());
        assertThrows(IdempotentParameterMismatchException.class,
                () -> server.client().transactWriteItems(b -> b.clientRequestToken("token-3")
                        .transactItems(add(table, "c", "n", 5, 0, null))));
        increment("token-4");
        assertEquals(2, counter());
    }

    @Test
    void aCancelledTransactionDoesNotKeepItsToken() {
        server.client().putItem(b -> b.tableName(table).item(Tables.item("c", "n", -1)));
        assertThrows(TransactionCanceledException.class, () -> increment("token-5"));
        server.client().putItem(b -> b.tableName(table).item(Tables.item("c", "n", 0)));
        increment("token-5");
        assertEquals(1, counter());
    }

    @Test
    void expiredTokensAreSweptAndTheirRequestsCountAsNewAgain() {
        increment("token-6");
        long now = server.server().engine().clock().millis();
        assertEquals(0, tokens().removeExpired(now), "a token is kept for the whole window");
        assertEquals(1, tokens().count());

        assertEquals(1, tokens().removeExpired(now + IdempotencyTokens.WINDOW_MILLIS));
        assertEquals(0, tokens().count());
        increment("token-6");
        assertEquals(2, counter());
    }

    @Test
    void theSdkGivesEveryCallItsOwnTokenSoTwoCallsCommitTwice() {
        server.client().transactWriteItems(b -> b.transactItems(increment()));
        server.client().transactWriteItems(b -> b.transactItems(increment()));
        assertEquals(2, counter());
        assertEquals(2, tokens().count());
        assertEquals(Map.of("id", s("log"), "n", n(1)),
                server.client().getItem(b -> b.tableName(table).key(key("log"))).item());
    }
}
