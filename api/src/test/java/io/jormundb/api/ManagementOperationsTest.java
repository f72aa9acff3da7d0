package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.DescribeLimitsResponse;
import software.amazon.awssdk.services.dynamodb.model.Endpoint;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TableNotFoundException;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What table-managing tools (Terraform's AWS provider, CDK, SDK endpoint discovery) call besides
 * the table and item operations: tagging, DescribeEndpoints, DescribeLimits and the continuous
 * backup operations, with DynamoDB's answers and errors.
 */
class ManagementOperationsTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    private static String arnOf(String table) {
        return SERVER.client().describeTable(b -> b.tableName(table)).table().tableArn();
    }

    @Test
    void tagsAreAddedOverwrittenRemovedAndListed() {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("Tagged"));
        String arn = arnOf(table);
        assertEquals(List.of(), db.listTagsOfResource(b -> b.resourceArn(arn)).tags());
        db.tagResource(b -> b.resourceArn(arn).tags(tag("team", "a"), tag("env", "dev"), tag("note", "")));
        db.tagResource(b -> b.resourceArn(arn).tags(tag("team", "b")));
        db.untagResource(b -> b.resourceArn(arn).tagKeys("env", "never-set"));
        assertEquals(List.of(tag("team", "b"), tag("note", "")), db.listTagsOfResource(b -> b.resourceArn(arn)).tags());
        String other = "arn:aws:dynamodb:eu-west-1:123456789012:table/" + table;
        assertEquals(2, db.listTagsOfResource(b -> b.resourceArn(other)).tags().size(), "any region and account");
    }

    @Test
    void tagsGivenAtCreateTableAreListed() {
        DynamoDbClient db = SERVER.client();
        String table = unique("CreatedTagged");
        db.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("id").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                .tags(tag("owner", "ops")));
        assertEquals(List.of(tag("owner", "ops")), db.listTagsOfResource(b -> b.resourceArn(arnOf(table))).tags());
    }

    @Test
    void badArnsAndBadTagsAreRefusedAsDynamoDbRefusesThem() {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("Refusing"));
        String arn = arnOf(table);
        assertDynamoError("AccessDeniedException", "User: arn:aws:iam::000000000000:jormundb is not authorized to "
                        + "perform: dynamodb:TagResource on resource: I_do_not_exist",
                () -> db.tagResource(b -> b.resourceArn("I_do_not_exist").tags(tag("a", "b"))));
        assertValidation("Invalid TableArn: Invalid ResourceArn provided as input a:b:c:d:e:f/g",
                () -> db.tagResource(b -> b.resourceArn("a:b:c:d:e:f/g").tags(tag("a", "b"))));
        String missing = arn + "x";
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: ResourcArn: " + missing
                + " not found", () -> db.listTagsOfResource(b -> b.resourceArn(missing)));
        assertValidation("Atleast one Tag needs to be provided as Input.",
                () -> db.tagResource(b -> b.resourceArn(arn).tags(List.of())));
        assertValidation("Atleast one Tag Key needs to be provided as Input.",
                () -> db.untagResource(b -> b.resourceArn(arn).tagKeys(List.of())));
        assertValidation("1 validation error detected: Value '' at 'tagKeys.2.member' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1",
                () -> db.untagResource(b -> b.resourceArn(arn).tagKeys("env", "")));
        String longTagKey = "k".repeat(129);
        assertValidation("1 validation error detected: Value '" + longTagKey + "' at 'tagKeys.1.member' failed to "
                + "satisfy constraint: Member must have length less than or equal to 128",
                () -> db.untagResource(b -> b.resourceArn(arn).tagKeys(longTagKey)));
        assertValidation("1 validation error detected: Value '#!%' at 'tags.1.member.value' failed to satisfy "
                        + "constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
                () -> db.tagResource(b -> b.resourceArn(arn).tags(tag("ok", "#!%"))));
        String longKey = "k".repeat(129);
        assertValidation("1 validation error detected: Value '" + longKey + "' at 'tags.1.member.key' failed to "
                        + "satisfy constraint: Member must have length less than or equal to 128",
                () -> db.tagResource(b -> b.resourceArn(arn).tags(tag(longKey, "v"))));
        assertValidation("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for "
                + "use by AWS: aws:x", () -> db.tagResource(b -> b.resourceArn(arn).tags(tag("aws:x", "v"))));
        db.tagResource(b -> b.resourceArn(arn).tags(IntStream.range(0, 30).mapToObj(i -> tag("k" + i, "v")).toList()));
        assertValidation("One or more parameter values were invalid: The number of tags of a table exceeds the limit "
                        + "of 50 (it would have 60)", () -> db.tagResource(b -> b.resourceArn(arn)
                .tags(IntStream.range(30, 60).mapToObj(i -> tag("k" + i, "v")).toList())));
        assertEquals(30, db.listTagsOfResource(b -> b.resourceArn(arn)).tags().size(), "a refused call tags nothing");
    }

    @Test
    void describeEndpointsNamesThisServerAndDescribeLimitsDynamoDbsDefaultQuotas() {
        DynamoDbClient db = SERVER.client();
        int port = SERVER.server().port();
        assertEquals(List.of(Endpoint.builder().address(SERVER.endpoint().getHost() + ":" + port)
                .cachePeriodInMinutes(1440L).build()), db.describeEndpoints(b -> { }).endpoints());
        // A client is told the server's address as it reached it (its Host header): the server
        // listens on every address and cannot know which of its names a client uses.
        try (DynamoDbClient byName = TestServer.client(URI.create("http://localhost:" + port))) {
            assertEquals("localhost:" + port, byName.describeEndpoints(b -> { }).endpoints().get(0).address());
        }
        DescribeLimitsResponse limits = db.describeLimits(b -> { });
        assertEquals(List.of(80_000L, 80_000L, 40_000L, 40_000L), List.of(limits.accountMaxReadCapacityUnits(),
                limits.accountMaxWriteCapacityUnits(), limits.tableMaxReadCapacityUnits(),
                limits.tableMaxWriteCapacityUnits()));
    }

    @Test
    void pointInTimeRecoveryIsReportedDisabledAndCannotBeTurnedOn() {
        DynamoDbClient db = SERVER.client();
        String table = createTable(db, unique("Backups"));
        ContinuousBackupsDescription d = db.describeContinuousBackups(b -> b.tableName(table))
                .continuousBackupsDescription();
        assertEquals("ENABLED", d.continuousBackupsStatusAsString());
        assertEquals("DISABLED", d.pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString());
        assertEquals(d, db.updateContinuousBackups(b -> b.tableName(table)
                .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(false)))
                .continuousBackupsDescription());
        assertValidation("Point-in-time recovery is not supported by JormunDB: it stays DISABLED (back up a server "
                + "by copying a checkpoint of its data directory)", () -> db.updateContinuousBackups(b -> b
                .tableName(table).pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true))));
        TableNotFoundException e = assertThrows(TableNotFoundException.class,
                () -> db.describeContinuousBackups(b -> b.tableName("NoSuchTable")));
        assertEquals("Table not found: NoSuchTable", e.awsErrorDetails().errorMessage());
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
