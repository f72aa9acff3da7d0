package io.jormundb.api.expr;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jormundb.api.Sdk.assertItem;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The SDK's Enhanced Client round-trips an annotated bean, with optimistic locking through
 * {@code @DynamoDbVersionAttribute}: the conditions and update expressions it generates work.
 */
class EnhancedClientTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();
    private static DynamoDbTable<Account> accounts;

    /** A bean the Enhanced Client maps; its version guards every write. */
    @DynamoDbBean
    public static class Account {
        private String id;
        private String owner;
        private Long balance;
        private Set<String> tags;
        private Long version;

        public Account() {
        }

        Account(String id, String owner, long balance, Set<String> tags) {
            this.id = id;
            this.owner = owner;
            this.balance = balance;
            this.tags = tags;
        }

        @DynamoDbPartitionKey
        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public String getOwner() {
            return owner;
        }

        public void setOwner(String owner) {
            this.owner = owner;
        }

        public Long getBalance() {
            return balance;
        }

        public void setBalance(Long balance) {
            this.balance = balance;
        }

        public Set<String> getTags() {
            return tags;
        }

        public void setTags(Set<String> tags) {
            this.tags = tags;
        }

        @DynamoDbVersionAttribute
        public Long getVersion() {
            return version;
        }

        public void setVersion(Long version) {
            this.version = version;
        }
    }

    @BeforeAll
    static void createTheTable() {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(SERVER.client()).build();
        accounts = enhanced.table("Accounts", TableSchema.fromBean(Account.class));
        accounts.createTable();
    }

    @Test
    void aBeanRoundTripsAndItsVersionStartsAtOne() {
        accounts.putItem(new Account("a1", "ana", 100, Set.of("gold", "eu")));
        Account read = accounts.getItem(Key.builder().partitionValue("a1").build());
        assertEquals("ana", read.getOwner());
        assertEquals(100L, read.getBalance());
        assertEquals(Set.of("gold", "eu"), read.getTags());
        assertEquals(1L, read.getVersion());
        assertItem(item("id", s("a1"), "owner", s("ana"), "balance", n("100"), "tags", ss("gold", "eu"),
                "version", n("1")),
                SERVER.client().getItem(r -> r.tableName("Accounts").key(item("id", s("a1")))).item());
    }

    @Test
    void aWriteWithAStaleVersionFailsAndTheCurrentOneWins() {
        accounts.putItem(new Account("a2", "bo", 10, Set.of("new")));
        Account mine = accounts.getItem(Key.builder().partitionValue("a2").build());
        Account theirs = accounts.getItem(Key.builder().partitionValue("a2").build());

        mine.setBalance(15L);
        mine.setOwner(null);
        Account updated = accounts.updateItem(mine);
        assertEquals(2L, updated.getVersion());
        assertEquals(15L, updated.getBalance());
        assertNull(updated.getOwner());

        theirs.setBalance(99L);
        assertThrows(ConditionalCheckFailedException.class, () -> accounts.updateItem(theirs));
        assertThrows(ConditionalCheckFailedException.class, () -> accounts.putItem(theirs));
        assertThrows(ConditionalCheckFailedException.class,
                () -> accounts.putItem(new Account("a2", "someone else", 0, Set.of("x"))));

        Account current = accounts.getItem(Key.builder().partitionValue("a2").build());
        assertEquals(15L, current.getBalance());
        assertEquals(2L, current.getVersion());
        current.setBalance(20L);
        accounts.putItem(current);
        assertEquals(3L, accounts.getItem(Key.builder().partitionValue("a2").build()).getVersion());
    }

    @Test
    void conditionalDeletesAndFilteredScansUseEnhancedExpressions() {
        accounts.putItem(new Account("a3", "cy", 5, Set.of("eu-west")));
        Expression versionIs = Expression.builder().expression("#v = :v")
                .expressionNames(Map.of("#v", "version")).expressionValues(Map.of(":v", n("7"))).build();
        Key key = Key.builder().partitionValue("a3").build();
        assertThrows(ConditionalCheckFailedException.class, () -> accounts.deleteItem(
                DeleteItemEnhancedRequest.builder().key(key).conditionExpression(versionIs).build()));

        List<String> found = accounts.scan(ScanEnhancedRequest.builder().filterExpression(Expression.builder()
                        .expression("balance >= :min AND contains(tags, :t)")
                        .expressionValues(Map.of(":min", n("5"), ":t", s("eu-west"))).build()).build())
                .items().stream().map(Account::getId).toList();
        assertEquals(List.of("a3"), found);

        Expression currentVersion = Expression.builder().expression("#v = :v")
                .expressionNames(Map.of("#v", "version")).expressionValues(Map.of(":v", n("1"))).build();
        accounts.deleteItem(DeleteItemEnhancedRequest.builder().key(key).conditionExpression(currentVersion).build());
        assertNull(accounts.getItem(key));
    }
}
