package io.jormundb.api.index;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.unique;
import static io.jormundb.api.index.Indexes.all;
import static io.jormundb.api.index.Indexes.def;
import static io.jormundb.api.index.Indexes.gsi;
import static io.jormundb.api.index.Indexes.hash;
import static io.jormundb.api.index.Indexes.include;
import static io.jormundb.api.index.Indexes.keysOnly;
import static io.jormundb.api.index.Indexes.lsi;
import static io.jormundb.api.index.Indexes.range;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.N;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

/**
 * Every refusal about secondary indexes, with DynamoDB's exact error type and message: CreateTable
 * (limits, attribute definitions, key schemas, projections, throughput), UpdateTable
 * GlobalSecondaryIndexUpdates, and reads naming an index (unknown, consistent on a global index,
 * Select).
 */
class IndexValidationTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final List<AttributeDefinition> PK_SK = List.of(def("pk", S), def("sk", S));

    /** CreateTable of a pk/sk on-demand table with {@code definitions}, changed by {@code more}. */
    private static void create(List<AttributeDefinition> definitions, Consumer<CreateTableRequest.Builder> more) {
        SERVER.client().createTable(r -> {
            r.tableName(unique("V")).keySchema(hash("pk"), range("sk")).attributeDefinitions(definitions)
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            more.accept(r);
        });
    }

    /**
     * A table pk/sk with the local index {@code local} (pk, b; KEYS_ONLY) and the global index
     * {@code global} (a) projecting {@code global}.
     */
    private static String indexed(DynamoDbClient client, String prefix, Projection global) {
        return Indexes.createTable(client, unique(prefix), List.of(hash("pk"), range("sk")),
                List.of(def("pk", S), def("sk", S), def("a", S), def("b", S)),
                List.of(lsi("local", keysOnly(), hash("pk"), range("b"))), List.of(gsi("global", global, hash("a"))));
    }

    private static List<AttributeDefinition> defs(String... extraStringAttributes) {
        List<AttributeDefinition> defs = new ArrayList<>(PK_SK);
        for (String name : extraStringAttributes) {
            defs.add(def(name, S));
        }
        return defs;
    }

    @Test
    void indexLimitsPerTable() {
        List<LocalSecondaryIndex> six = new ArrayList<>();
        List<GlobalSecondaryIndex> twentyOne = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            if (i < 6) {
                six.add(lsi("lsi" + i, keysOnly(), hash("pk"), range("a")));
            }
            twentyOne.add(gsi("gsi" + i, keysOnly(), hash("a")));
        }
        assertValidation(INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5",
                () -> create(defs("a"), r -> r.localSecondaryIndexes(six)));
        assertValidation(INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20",
                () -> create(defs("a"), r -> r.globalSecondaryIndexes(twentyOne)));
        assertValidation(INVALID + "List of GlobalSecondaryIndexes is empty",
                () -> create(defs(), r -> r.globalSecondaryIndexes(List.of())));
        assertValidation(INVALID + "List of LocalSecondaryIndexes is empty",
                () -> create(defs(), r -> r.localSecondaryIndexes(List.of())));
    }

    @Test
    void attributeDefinitionsMustNameExactlyTheKeyAttributes() {
        assertValidation(INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [q], "
                + "AttributeDefinitions: [pk, sk]", () -> create(defs(), r -> r.globalSecondaryIndexes(
                gsi("idx", all(), hash("q")))));
        assertValidation(INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: [pk, sk, extra, g], "
                + "keys used: [g, sk, pk]", () -> create(defs("extra", "g"), r -> r.globalSecondaryIndexes(
                gsi("byG", all(), hash("g")))));
    }

    @Test
    void duplicateIndexNamesAreRefusedAcrossLocalAndGlobalIndexes() {
        assertValidation(INVALID + "Duplicate index name: dup", () -> create(defs("a"), r -> r
                .localSecondaryIndexes(lsi("dup", keysOnly(), hash("pk"), range("a")))
                .globalSecondaryIndexes(gsi("dup", keysOnly(), hash("a")))));
        assertValidation(INVALID + "Duplicate index name: dup", () -> create(defs("a"), r -> r
                .globalSecondaryIndexes(gsi("dup", keysOnly(), hash("a")), gsi("dup", all(), hash("a")))));
    }

    @Test
    void aLocalIndexNeedsTheTablesPartitionKeyAndASortKey() {
        assertValidation(INVALID + "Table KeySchema does not have a range key, which is required when specifying a "
                + "LocalSecondaryIndex", () -> SERVER.client().createTable(r -> r.tableName(unique("V"))
                .keySchema(hash("pk")).attributeDefinitions(def("pk", S), def("a", S))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .localSecondaryIndexes(lsi("lsi1", keysOnly(), hash("pk"), range("a")))));
        assertValidation(INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for "
                        + "index: lsi1. index hash key: a, table hash key: pk",
                () -> create(defs("a", "b"), r -> r.localSecondaryIndexes(lsi("lsi1", keysOnly(), hash("a"),
                        range("b")))));
        assertValidation(INVALID + "Index KeySchema does not have a range key for index: lsi1",
                () -> create(defs(), r -> r.localSecondaryIndexes(lsi("lsi1", keysOnly(), hash("pk")))));
        assertValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                () -> create(defs("a"), r -> r.localSecondaryIndexes(lsi("lsi1", keysOnly(), range("a"), hash("pk")))));
    }

    @Test
    void globalIndexKeySchemasFollowTheMultiAttributeRules() {
        assertValidation(INVALID + "The KeySchema exceeds the maximum allowed number of HASH key attributes",
                () -> create(defs("a", "b", "c", "d", "e"), r -> r.globalSecondaryIndexes(gsi("idx", all(), hash("a"),
                        hash("b"), hash("c"), hash("d"), hash("e")))));
        assertValidation(INVALID + "The KeySchema exceeds the maximum allowed number of RANGE key attributes",
                () -> create(defs("a", "b", "c", "d", "e", "f"), r -> r.globalSecondaryIndexes(gsi("idx", all(),
                        hash("a"), range("b"), range("c"), range("d"), range("e"), range("f")))));
        assertValidation(INVALID + "All HASH key attributes must precede RANGE key attributes in the KeySchema",
                () -> create(defs("a", "b", "c"), r -> r.globalSecondaryIndexes(gsi("idx", all(), hash("a"),
                        range("b"), hash("c")))));
        assertValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                () -> create(defs("a"), r -> r.globalSecondaryIndexes(gsi("idx", all(), range("a")))));
        assertValidation("The KeySchema contains multiple key attributes with the same name",
                () -> create(defs("a", "b"), r -> r.globalSecondaryIndexes(gsi("idx", all(), hash("a"), hash("b"),
                        range("a")))));
        assertValidation("Both the Hash Key and the Range Key element in the KeySchema have the same name",
                () -> create(defs("a"), r -> r.globalSecondaryIndexes(gsi("idx", all(), hash("a"), range("a")))));
    }

    @Test
    void projectionsFollowDynamoDbsRules() {
        assertValidation(INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                () -> create(defs("a"), r -> r.globalSecondaryIndexes(gsi("idx",
                        Projection.builder().projectionType(ProjectionType.INCLUDE).build(), hash("a")))));
        assertValidation(INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified",
                () -> create(defs("a"), r -> r.globalSecondaryIndexes(gsi("idx", Projection.builder()
                        .projectionType(ProjectionType.KEYS_ONLY).nonKeyAttributes("x").build(), hash("a")))));
        assertValidation(INVALID + "Unknown ProjectionType: null", () -> create(defs("a"),
                r -> r.globalSecondaryIndexes(gsi("idx", Projection.builder().build(), hash("a")))));
        assertValidation(INVALID + "Duplicate element in NonKeyAttributes: x", () -> create(defs("a"),
                r -> r.globalSecondaryIndexes(gsi("idx", include("x", "y", "x"), hash("a")))));
        List<GlobalSecondaryIndex> wide = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String[] attributes = new String[17];
            for (int j = 0; j < 17; j++) {
                attributes[j] = "x" + i + "_" + j;
            }
            wide.add(gsi("idx" + i, include(attributes), hash("a")));
        }
        assertValidation(INVALID + "Number of projected attributes in all indexes exceeds limit of 100, number of "
                + "projected attributes: 102", () -> create(defs("a"), r -> r.globalSecondaryIndexes(wide)));
        String tooLong = "n".repeat(256);
        assertValidation("1 validation error detected: Value '[x, " + tooLong + "]' at "
                + "'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member "
                + "must satisfy constraint: [Member must have length less than or equal to 255, Member must have "
                + "length greater than or equal to 1]", () -> create(defs("a"),
                r -> r.globalSecondaryIndexes(gsi("idx", include("x", tooLong), hash("a")))));
        assertValidation("1 validation error detected: Value '[]' at 'localSecondaryIndexes.1.member.projection"
                + ".nonKeyAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must have "
                + "length less than or equal to 255, Member must have length greater than or equal to 1]",
                () -> create(defs("a"), r -> r.localSecondaryIndexes(lsi("idx", include(""), hash("pk"), range("a")))));
        create(defs("a"), r -> r.globalSecondaryIndexes(gsi("idx", include("n".repeat(255)), hash("a"))));
    }

    @Test
    void indexThroughputFollowsTheTablesBillingMode() {
        assertValidation(INVALID + "ProvisionedThroughput should not be specified for index: idx when BillingMode is "
                + "PAY_PER_REQUEST", () -> create(defs("a"), r -> r.globalSecondaryIndexes(
                gsi("idx", all(), hash("a")).toBuilder().provisionedThroughput(units(1, 1)).build())));
        assertValidation(INVALID + "ProvisionedThroughput is not specified for index: idx",
                () -> create(defs("a"), r -> r.billingMode(BillingMode.PROVISIONED).provisionedThroughput(units(1, 1))
                        .globalSecondaryIndexes(gsi("idx", all(), hash("a")))));
        String table = unique("T");
        SERVER.client().createTable(r -> r.tableName(table).keySchema(hash("pk"), range("sk"))
                .attributeDefinitions(defs("a")).billingMode(BillingMode.PROVISIONED).provisionedThroughput(units(1, 1))
                .globalSecondaryIndexes(gsi("idx", all(), hash("a")).toBuilder().provisionedThroughput(units(2, 2))
                        .build()));
        assertValidation("The provisioned throughput for the index idx will not change. The requested value equals the "
                + "current value. Current ReadCapacityUnits provisioned for index idx: 2. Requested ReadCapacityUnits: "
                + "2. Current WriteCapacityUnits provisioned for index idx: 2. Requested WriteCapacityUnits: 2. Refer to "
                + "the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
                () -> SERVER.client().updateTable(r -> r.tableName(table).globalSecondaryIndexUpdates(u -> u.update(
                        g -> g.indexName("idx").provisionedThroughput(units(2, 2))))));
        SERVER.client().updateTable(r -> r.tableName(table).globalSecondaryIndexUpdates(u -> u.update(
                g -> g.indexName("idx").provisionedThroughput(units(2, 3)))));
        assertEquals(3L, SERVER.client().describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes()
                .getFirst().provisionedThroughput().writeCapacityUnits());
    }

    /**
     * Switching an on-demand table to provisioned capacity must give each of its global indexes
     * throughput in the same call; switching back sets the indexes' throughput to 0, as the table's.
     */
    @Test
    void aBillingModeSwitchCarriesTheGlobalIndexesAlong() {
        DynamoDbClient client = SERVER.client();
        String table = Indexes.createTable(client, unique("B"), List.of(hash("pk")), List.of(def("pk", S),
                def("a", S)), List.of(), List.of(gsi("gix", keysOnly(), hash("a"))));
        assertValidation(INVALID + "ProvisionedThroughput must be specified for index: gix", () -> client.updateTable(
                r -> r.tableName(table).billingMode(BillingMode.PROVISIONED).provisionedThroughput(units(5, 5))));
        assertEquals(BillingMode.PAY_PER_REQUEST, client.describeTable(r -> r.tableName(table)).table()
                .billingModeSummary().billingMode());
        client.updateTable(r -> r.tableName(table).billingMode(BillingMode.PROVISIONED).provisionedThroughput(units(5, 5))
                .globalSecondaryIndexUpdates(u -> u.update(g -> g.indexName("gix").provisionedThroughput(units(3, 4)))));
        var provisioned = client.describeTable(r -> r.tableName(table)).table();
        assertEquals(BillingMode.PROVISIONED, provisioned.billingModeSummary().billingMode());
        assertEquals(List.of(3L, 4L), List.of(provisioned.globalSecondaryIndexes().getFirst().provisionedThroughput()
                .readCapacityUnits(), provisioned.globalSecondaryIndexes().getFirst().provisionedThroughput()
                .writeCapacityUnits()));
        client.updateTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST));
        var onDemand = client.describeTable(r -> r.tableName(table)).table();
        assertEquals(List.of(0L, 0L), List.of(onDemand.globalSecondaryIndexes().getFirst().provisionedThroughput()
                .readCapacityUnits(), onDemand.globalSecondaryIndexes().getFirst().provisionedThroughput()
                .writeCapacityUnits()));
    }

    /**
     * An UpdateTable refused for any of its parts changes nothing: the parts before the refused one
     * were applied (a stream enabled, protection on, a table class, a billing mode, an index created
     * or deleted) although the caller was told the request failed.
     */
    @Test
    void aRefusedUpdateTableChangesNothing() {
        DynamoDbClient client = SERVER.client();
        String table = Indexes.createTable(client, unique("A"), List.of(hash("pk")), List.of(def("pk", S),
                def("a", S)), List.of(), List.of(gsi("gsiA", all(), hash("a"))));
        var before = client.describeTable(r -> r.tableName(table)).table();
        GlobalSecondaryIndexUpdate updateGsiA = GlobalSecondaryIndexUpdate.builder().update(u -> u.indexName("gsiA")
                .provisionedThroughput(units(1, 1))).build();
        String onDemandUpdate = INVALID + "The only Updates for index: gsiA when TableThroughputMode is "
                + "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput";
        assertValidation(onDemandUpdate, () -> client.updateTable(r -> r.tableName(table)
                .streamSpecification(st -> st.streamEnabled(true).streamViewType("KEYS_ONLY"))
                .globalSecondaryIndexUpdates(updateGsiA)));
        assertValidation(INVALID + "AttributeDefinitions is not specified for index: gsiB", () -> client.updateTable(
                r -> r.tableName(table).deletionProtectionEnabled(true).globalSecondaryIndexUpdates(create("gsiB",
                        hash("b")))));
        assertValidation(INVALID + "AttributeDefinitions is not specified for index: gsiB", () -> client.updateTable(
                r -> r.tableName(table).tableClass("STANDARD_INFREQUENT_ACCESS").globalSecondaryIndexUpdates(
                        create("gsiB", hash("b")))));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Index nope for table " + table,
                () -> client.updateTable(r -> r.tableName(table).deletionProtectionEnabled(true)
                        .globalSecondaryIndexUpdates(delete("nope"))));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Index nope for table " + table,
                () -> client.updateTable(r -> r.tableName(table).billingMode(BillingMode.PROVISIONED)
                        .provisionedThroughput(units(2, 2)).globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate
                                .builder().update(u -> u.indexName("nope").provisionedThroughput(units(1, 1))).build())));
        assertValidation(onDemandUpdate, () -> client.updateTable(r -> r.tableName(table).attributeDefinitions(
                def("b", S)).globalSecondaryIndexUpdates(create("gsiB", hash("b")), updateGsiA)));
        assertValidation(onDemandUpdate.replace("gsiA", "gsiA2"), () -> client.updateTable(r -> r.tableName(table)
                .globalSecondaryIndexUpdates(delete("gsiA"), updateGsiA.toBuilder().update(u -> u.indexName("gsiA2")
                        .provisionedThroughput(units(1, 1))).build())));
        assertEquals(before, client.describeTable(r -> r.tableName(table)).table());
    }

    @Test
    void globalSecondaryIndexUpdatesAreCheckedAsInDynamoDb() {
        DynamoDbClient client = SERVER.client();
        String table = Indexes.createTable(client, unique("U"), List.of(hash("pk")), List.of(def("pk", S),
                def("a", S)), List.of(), List.of(gsi("gsi1", all(), hash("a"))));
        GlobalSecondaryIndexUpdate createGsi2 = create("gsi2", hash("b"));
        assertValidation(INVALID + "AttributeDefinitions is not specified for index: gsi2",
                () -> client.updateTable(r -> r.tableName(table).globalSecondaryIndexUpdates(createGsi2)));
        assertValidation("Attempting to create an index which already exists", () -> client.updateTable(r -> r
                .tableName(table).attributeDefinitions(def("a", S)).globalSecondaryIndexUpdates(create("gsi1",
                        hash("a")))));
        assertValidation(INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [b], "
                        + "AttributeDefinitions: [c]", () -> client.updateTable(r -> r.tableName(table)
                .attributeDefinitions(def("c", N)).globalSecondaryIndexUpdates(createGsi2)));
        assertDynamoError("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created "
                + "or deleted simultaneously per table", () -> client.updateTable(r -> r.tableName(table)
                .attributeDefinitions(def("b", S), def("c", S))
                .globalSecondaryIndexUpdates(createGsi2, create("gsi3", hash("c")))));
        assertValidation(INVALID + "Only one global secondary index update per index is allowed simultaneously. "
                + "Index: gsi1", () -> client.updateTable(r -> r.tableName(table).globalSecondaryIndexUpdates(
                delete("gsi1"), delete("gsi1"))));
        assertValidation(INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                + "GlobalSecondaryIndexUpdate.Delete must not be null", () -> client.updateTable(r -> r
                .tableName(table).globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().build())));
        assertValidation(INVALID + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate "
                + "object", () -> client.updateTable(r -> r.tableName(table).attributeDefinitions(def("b", S))
                .globalSecondaryIndexUpdates(createGsi2.toBuilder().delete(delete("gsi1").delete()).build())));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Index nope for table " + table,
                () -> client.updateTable(r -> r.tableName(table).globalSecondaryIndexUpdates(delete("nope"))));
        assertValidation(INVALID + "You cannot create or delete index while changing stream status",
                () -> client.updateTable(r -> r.tableName(table).attributeDefinitions(def("b", S))
                        .globalSecondaryIndexUpdates(createGsi2).streamSpecification(s -> s.streamEnabled(true)
                                .streamViewType("KEYS_ONLY"))));
        assertValidation(INVALID + "Attributes cannot be redefined. Please check that your attribute has the same "
                + "type as previously defined. Existing schema: Schema:[SchemaElement: key{a:S:HASH}] New schema: "
                + "Schema:[SchemaElement: key{a:N:HASH}]", () -> client.updateTable(r -> r.tableName(table)
                .attributeDefinitions(def("a", N)).globalSecondaryIndexUpdates(create("gsi2", hash("a")))));
        assertValidation(INVALID + "Attributes cannot be redefined. Please check that your attribute has the same "
                + "type as previously defined. Existing schema: Schema:[SchemaElement: key{pk:S:HASH}] New schema: "
                + "Schema:[SchemaElement: key{pk:B:HASH}]", () -> client.updateTable(r -> r.tableName(table)
                .attributeDefinitions(def("pk", ScalarAttributeType.B), def("b", S))
                .globalSecondaryIndexUpdates(createGsi2)));
        assertValidation(INVALID + "List of GlobalSecondaryIndexUpdates is empty", () -> client.updateTable(r -> r
                .tableName(table).billingMode(BillingMode.PAY_PER_REQUEST).globalSecondaryIndexUpdates(List.of())));
        // Nothing of the refused requests was applied.
        assertEquals(List.of("gsi1"), client.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes()
                .stream().map(g -> g.indexName()).toList());
    }

    @Test
    void aTwentyFirstGlobalIndexIsALimitExceeded() {
        DynamoDbClient client = SERVER.client();
        List<GlobalSecondaryIndex> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(gsi("idx" + i, keysOnly(), hash("a")));
        }
        String table = Indexes.createTable(client, unique("U"), List.of(hash("pk")), List.of(def("pk", S),
                def("a", S)), List.of(), twenty);
        assertDynamoError("LimitExceededException", "Subscriber limit exceeded: Number of global secondary indexes "
                + "exceeds per-table limit of 20", () -> client.updateTable(r -> r.tableName(table)
                .attributeDefinitions(def("a", S)).globalSecondaryIndexUpdates(create("gsi20", hash("a")))));
    }

    @Test
    void readsNamingAnIndexAreCheckedAsInDynamoDb() {
        DynamoDbClient client = SERVER.client();
        String table = indexed(client, "R", include("x"));
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> a = Map.of(":a", s("1"));
        assertValidation("Consistent reads are not supported on global secondary indexes", () -> client.query(r -> r
                .tableName(table).indexName("global").keyConditionExpression("a = :a").expressionAttributeValues(a)
                .consistentRead(true)));
        assertValidation("Consistent reads are not supported on global secondary indexes",
                () -> client.scan(r -> r.tableName(table).indexName("global").consistentRead(true)));
        client.query(r -> r.tableName(table).indexName("local").keyConditionExpression("pk = :a")
                .expressionAttributeValues(a).consistentRead(true));
        assertValidation("The table does not have the specified index: nope", () -> client.query(r -> r
                .tableName(table).indexName("nope").keyConditionExpression("a = :a").expressionAttributeValues(a)));
        assertValidation(INVALID + "Select type ALL_ATTRIBUTES is not supported for global secondary index global "
                + "because its projection type is not ALL", () -> client.query(r -> r.tableName(table)
                .indexName("global").keyConditionExpression("a = :a").expressionAttributeValues(a)
                .select(Select.ALL_ATTRIBUTES)));
        assertValidation("Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES",
                () -> client.scan(r -> r.tableName(table).indexName("global").projectionExpression("x")
                        .select(Select.ALL_PROJECTED_ATTRIBUTES)));
        assertValidation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
                () -> client.scan(r -> r.tableName(table).select(Select.ALL_PROJECTED_ATTRIBUTES)));
        assertValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: a",
                () -> client.query(r -> r.tableName(table).indexName("global").keyConditionExpression("a = :a")
                        .filterExpression("a = :a").expressionAttributeValues(a)));
        assertValidation("Query condition missed key schema element: a", () -> client.query(r -> r.tableName(table)
                .indexName("global").keyConditionExpression("pk = :a").expressionAttributeValues(a)));
    }

    @Test
    void aGlobalIndexIsNotAskedForAttributesItDoesNotProject() {
        DynamoDbClient client = SERVER.client();
        String table = indexed(client, "P", include("x"));
        client.putItem(r -> r.tableName(table).item(Map.of("pk", s("1"), "sk", s("1"), "a", s("1"), "b", s("1"),
                "x", s("projected"), "y", s("not projected"))));
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> a = Map.of(":a", s("1"));
        assertValidation(INVALID + "Global secondary index global does not project [y]", () -> client.query(r -> r
                .tableName(table).indexName("global").keyConditionExpression("a = :a").expressionAttributeValues(a)
                .projectionExpression("x, y")));
        assertValidation(INVALID + "Global secondary index global does not project [y, z]", () -> client.scan(r -> r
                .tableName(table).indexName("global").attributesToGet("z", "pk", "y")));
        assertValidation(INVALID + "Secondary index global does not project one or more filter attributes: [y]",
                () -> client.scan(r -> r.tableName(table).indexName("global").filterExpression("y = :a OR x = :a")
                        .expressionAttributeValues(a)));
        assertEquals(List.of(Map.of("x", s("projected"), "sk", s("1"))), client.scan(r -> r.tableName(table)
                .indexName("global").projectionExpression("x, sk").filterExpression("x = :x")
                .expressionAttributeValues(Map.of(":x", s("projected")))).items());
        // A local index reads what it does not project from the table.
        assertEquals(List.of(Map.of("y", s("not projected"))), client.query(r -> r.tableName(table)
                .indexName("local").keyConditionExpression("pk = :a").expressionAttributeValues(a)
                .projectionExpression("y")).items());
    }

    @Test
    void pathsBelowAnIndexKeyAttributeAreRefused() {
        DynamoDbClient client = SERVER.client();
        String table = indexed(client, "K", all());
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key = Map.of("pk", s("1"),
                "sk", s("1"));
        String notScalar = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
                + "allowed: ";
        assertValidation(notScalar + "IndexKey: a", () -> client.scan(r -> r.tableName(table).projectionExpression(
                "a.x")));
        assertValidation(notScalar + "IndexKey: b", () -> client.scan(r -> r.tableName(table).filterExpression(
                "b[0] = :v").expressionAttributeValues(Map.of(":v", s("v")))));
        assertValidation(notScalar + "IndexKey: a", () -> client.getItem(r -> r.tableName(table).key(key)
                .projectionExpression("a[1]")));
        assertValidation(notScalar + "IndexKey: b", () -> client.updateItem(r -> r.tableName(table).key(key)
                .updateExpression("SET b.c = :v").expressionAttributeValues(Map.of(":v", s("v")))));
        assertValidation(notScalar + "Key: sk", () -> client.scan(r -> r.tableName(table).projectionExpression(
                "sk.x")));
        // An index's ExclusiveStartKey must satisfy the sort key condition too.
        assertValidation("The provided starting key does not match the range key predicate", () -> client.query(r -> r
                .tableName(table).indexName("local").keyConditionExpression("pk = :p AND b > :b")
                .expressionAttributeValues(Map.of(":p", s("1"), ":b", s("m")))
                .exclusiveStartKey(Map.of("pk", s("1"), "sk", s("1"), "b", s("a")))));
    }

    private static GlobalSecondaryIndexUpdate create(String name, KeySchemaElement... keys) {
        return GlobalSecondaryIndexUpdate.builder().create(CreateGlobalSecondaryIndexAction.builder().indexName(name)
                .keySchema(keys).projection(all()).build()).build();
    }

    private static GlobalSecondaryIndexUpdate delete(String name) {
        return GlobalSecondaryIndexUpdate.builder().delete(DeleteGlobalSecondaryIndexAction.builder().indexName(name)
                .build()).build();
    }

    private static ProvisionedThroughput units(long read, long write) {
        return ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build();
    }

    private static void assertEquals(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }
}
