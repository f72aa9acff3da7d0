package io.jormundb.api.index;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.index.Indexes.all;
import static io.jormundb.api.index.Indexes.def;
import static io.jormundb.api.index.Indexes.gsi;
import static io.jormundb.api.index.Indexes.hash;
import static io.jormundb.api.index.Indexes.items;
import static io.jormundb.api.index.Indexes.queryPages;
import static io.jormundb.api.index.Indexes.range;
import static io.jormundb.api.index.Indexes.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.N;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

/**
 * A global index with DynamoDB's multi-attribute keys: three partition key attributes
 * (tournament, region, season) and two sort key attributes (round, bracket). A Query names every
 * partition key attribute with = and a left-to-right prefix of the sort key attributes, the last
 * of them with any sort key condition; results sort by round, then bracket, then the table key.
 */
class MultiAttributeKeyTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();
    private static final String TABLE = "Matches";
    private static final String PARTITION = "tournament = :t AND #region = :r AND season = :s";
    private static final List<Match> MATCHES = new ArrayList<>();

    private record Match(String id, String tournament, String region, long season, String round, long bracket) {
        Map<String, AttributeValue> toItem() {
            return item("id", s(id), "tournament", s(tournament), "region", s(region), "season", n(season),
                    "round", s(round), "bracket", n(bracket));
        }
    }

    @BeforeAll
    static void matches() {
        DynamoDbClient client = SERVER.client();
        Indexes.createTable(client, TABLE, List.of(hash("id")), List.of(def("id", S), def("tournament", S),
                        def("region", S), def("season", N), def("round", S), def("bracket", N)), List.of(),
                List.of(gsi("byBracket", all(), hash("tournament"), hash("region"), hash("season"), range("round"),
                        range("bracket"))));
        int id = 0;
        for (String tournament : List.of("T1", "T2")) {
            for (String region : List.of("EU", "NA")) {
                for (String round : List.of("R3", "R1", "Q2", "R2")) {
                    for (long bracket : new long[] {3, 1, 2, 10}) {
                        MATCHES.add(new Match(String.format("m%03d", id++), tournament, region, 2025, round, bracket));
                    }
                }
            }
        }
        // Same bracket keys in another season, and a duplicate of index keys under another table key.
        MATCHES.add(new Match("m900", "T1", "EU", 2024, "R1", 1));
        MATCHES.add(new Match("m901", "T1", "EU", 2025, "R2", 2));
        MATCHES.forEach(m -> client.putItem(r -> r.tableName(TABLE).item(m.toItem())));
        // Sparse: an item lacking any of the five key attributes is not in the index.
        client.putItem(r -> r.tableName(TABLE).item(item("id", s("x1"), "tournament", s("T1"), "region", s("EU"),
                "season", n(2025), "round", s("R2"))));
        client.putItem(r -> r.tableName(TABLE).item(item("id", s("x2"), "tournament", s("T1"), "season", n(2025),
                "round", s("R2"), "bracket", n(2))));
    }

    /** Queries T1/EU/2025 (placeholders :t, :r, :s) with {@code keyCondition} and more placeholders. */
    private static QueryResponse query(String keyCondition, Object... extraValues) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", s("T1"), ":r", s("EU"), ":s", n(2025)));
        for (int i = 0; i < extraValues.length; i += 2) {
            values.put((String) extraValues[i], (AttributeValue) extraValues[i + 1]);
        }
        values.keySet().removeIf(placeholder -> !keyCondition.contains(placeholder));
        return SERVER.client().query(r -> r.tableName(TABLE).indexName("byBracket").keyConditionExpression(keyCondition)
                .expressionAttributeNames(Map.of("#region", "region")).expressionAttributeValues(values));
    }

    /** The ids of the T1/EU/2025 matches that pass {@code filter}, in index order. */
    private static List<String> expected(java.util.function.Predicate<Match> filter) {
        return MATCHES.stream().filter(m -> m.tournament().equals("T1") && m.region().equals("EU")
                        && m.season() == 2025).filter(filter)
                .sorted(Comparator.comparing(Match::round).thenComparingLong(Match::bracket).thenComparing(Match::id))
                .map(Match::id).toList();
    }

    @Test
    void thePartitionAloneGivesEveryEntryInRoundThenBracketOrder() {
        QueryResponse all = query(PARTITION);
        assertEquals(expected(m -> true), values(all.items(), "id"));
        assertEquals(17, all.count());
    }

    @Test
    void aSortKeyPrefixSelectsOneRoundOrderedByBracket() {
        assertEquals(expected(m -> m.round().equals("R2")), values(query(PARTITION + " AND round = :round",
                ":round", s("R2")).items(), "id"));
        assertEquals(List.of("m013", "m014", "m901", "m012", "m015"),
                values(query(PARTITION + " AND round = :round", ":round", s("R2")).items(), "id"));
    }

    @Test
    void aRangeOnTheLastGivenSortAttributeNarrowsThePrefix() {
        assertEquals(expected(m -> m.round().equals("R2") && m.bracket() >= 2 && m.bracket() <= 3),
                values(query(PARTITION + " AND round = :round AND bracket BETWEEN :lo AND :hi", ":round", s("R2"),
                        ":lo", n(2), ":hi", n(3)).items(), "id"));
        assertEquals(expected(m -> m.round().equals("R1") && m.bracket() > 2),
                values(query(PARTITION + " AND round = :round AND bracket > :b", ":round", s("R1"), ":b", n(2))
                        .items(), "id"));
        assertEquals(expected(m -> m.round().equals("R3") && m.bracket() == 10),
                values(query("bracket = :b AND round = :round AND " + PARTITION, ":round", s("R3"), ":b", n(10))
                        .items(), "id"));
    }

    @Test
    void aRangeOnTheFirstSortAttributeCoversWholeRounds() {
        assertEquals(expected(m -> m.round().compareTo("R1") > 0),
                values(query(PARTITION + " AND round > :round", ":round", s("R1")).items(), "id"));
        assertEquals(expected(m -> m.round().startsWith("R")),
                values(query(PARTITION + " AND begins_with(round, :p)", ":p", s("R")).items(), "id"));
        assertEquals(expected(m -> m.round().compareTo("R2") <= 0),
                values(query(PARTITION + " AND round <= :round", ":round", s("R2")).items(), "id"));
    }

    @Test
    void pagesGoBothWaysAndTheirLastEvaluatedKeyHoldsEveryKeyAttribute() {
        List<String> want = expected(m -> m.round().equals("R2"));
        for (boolean forward : new boolean[] {true, false}) {
            List<QueryResponse> pages = queryPages(SERVER.client(), r -> r.tableName(TABLE).indexName("byBracket")
                    .keyConditionExpression(PARTITION + " AND round = :round")
                    .expressionAttributeNames(Map.of("#region", "region"))
                    .expressionAttributeValues(Map.of(":t", s("T1"), ":r", s("EU"), ":s", n(2025), ":round", s("R2")))
                    .scanIndexForward(forward).limit(2));
            List<String> ordered = new ArrayList<>(want);
            if (!forward) {
                java.util.Collections.reverse(ordered);
            }
            assertEquals(ordered, values(items(pages), "id"));
            assertEquals(java.util.Set.of("id", "tournament", "region", "season", "round", "bracket"),
                    pages.getFirst().lastEvaluatedKey().keySet());
        }
    }

    @Test
    void legacyKeyConditionsNameTheSameAttributes() {
        QueryResponse r = SERVER.client().query(q -> q.tableName(TABLE).indexName("byBracket").keyConditions(Map.of(
                "tournament", eq(s("T1")), "region", eq(s("EU")), "season", eq(n(2025)), "round", eq(s("R2")),
                "bracket", Condition.builder().comparisonOperator(ComparisonOperator.LE).attributeValueList(n(2))
                        .build())));
        assertEquals(expected(m -> m.round().equals("R2") && m.bracket() <= 2), values(r.items(), "id"));
    }

    @Test
    void queriesThatSkipOrMisuseKeyAttributesAreRefusedAsInDynamoDb() {
        assertValidation("Query condition missed key schema element: season",
                () -> query("tournament = :t AND #region = :r"));
        assertValidation("RANGE key attributes round must have equality conditions specified in the query because a "
                        + "condition is present on key attribute bracket",
                () -> query(PARTITION + " AND bracket = :b", ":b", n(1)));
        assertValidation("RANGE key attributes round must have equality conditions specified in the query because a "
                        + "condition is present on key attribute bracket",
                () -> query(PARTITION + " AND round > :round AND bracket = :b", ":round", s("R1"), ":b", n(1)));
        assertValidation("Query key condition not supported", () -> query("tournament = :t AND #region = :r AND "
                + "season > :s"));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema "
                + "type", () -> query(PARTITION + " AND round = :round", ":round", n(2)));
    }

    @Test
    void describeTableListsTheKeySchemaInItsOrder() {
        GlobalSecondaryIndexDescription d = SERVER.client().describeTable(r -> r.tableName(TABLE)).table()
                .globalSecondaryIndexes().getFirst();
        assertEquals(List.of("tournament:HASH", "region:HASH", "season:HASH", "round:RANGE", "bracket:RANGE"),
                d.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList());
        assertEquals(MATCHES.size(), d.itemCount());
    }

    private static Condition eq(AttributeValue v) {
        return Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(v).build();
    }
}
