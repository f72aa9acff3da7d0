package io.jormundb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jormundb.api.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AWS CLI (Debian's awscli; CI installs it) against the jar: tables, items, a table's stream
 * (list-streams, describe-stream, get-shard-iterator, get-records), tags, limits, endpoints and
 * backups.
 */
class AwsCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /**
     * {@code /usr/bin/aws} (Debian's package) if present, else the first {@code aws} on the PATH;
     * the test is skipped when there is none.
     */
    private static Path awsCli() {
        Stream<Path> candidates = Stream.concat(Stream.of(Path.of("/usr/bin/aws")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "aws")));
        Optional<Path> cli = candidates.filter(Files::isExecutable).findFirst();
        assumeTrue(cli.isPresent(), "the AWS CLI is not installed (apt-get install -y awscli); CI installs it");
        return cli.get();
    }

    private JsonNode aws(Path cli, int port, String... args) throws Exception {
        List<String> dynamodb = new ArrayList<>(List.of("dynamodb"));
        dynamodb.addAll(List.of(args));
        return awsService(cli, port, dynamodb.toArray(String[]::new));
    }

    /** {@code aws <service> <command> ...} against the server; its JSON output. */
    private JsonNode awsService(Path cli, int port, String... args) throws Exception {
        return run(cli, "http://127.0.0.1:" + port, Map.of(), args).json();
    }

    /**
     * {@code aws <service> <command> ...} against {@code endpoint}, with dummy credentials and a
     * home of its own (no user configuration, no credential lookups) unless {@code env} says otherwise.
     */
    private Cli run(Path cli, String endpoint, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(cli.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint, "--output", "json"));
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", "dummy", "AWS_SECRET_ACCESS_KEY", "dummy", "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_REGION", "us-east-1", "AWS_PAGER", "", "HOME", temp.toString(),
                "AWS_CONFIG_FILE", temp.resolve("no-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-credentials").toString(),
                "AWS_EC2_METADATA_DISABLED", "true"));
        environment.putAll(env);
        return new Cli(String.join(" ", command), JarServer.run(command, environment, temp));
    }

    /** One run of the CLI: the command line and how it ended. */
    private record Cli(String command, JarServer.Result result) {
        /** Its JSON output; fails unless it exited 0. */
        JsonNode json() throws Exception {
            assertEquals(0, result.exitCode(), () -> command + " failed:\n" + result.stderr());
            return result.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(result.stdout());
        }

        /** Asserts that it failed with {@code error} (as the CLI prints DynamoDB's error name). */
        void assertFails(String error) {
            assertEquals(254, result.exitCode(), () -> command + ": " + result.stdout() + result.stderr());
            assertTrue(result.stderr().contains("(" + error + ")"), () -> command + ": " + result.stderr());
        }
    }

    @Test
    void theAwsCliCreatesATablePutsAndGetsAnItem() throws Exception {
        Path cli = awsCli();
        try (JarServer server = JarServer.start(temp.resolve("data"))) {
            int port = server.port();
            JsonNode created = aws(cli, port, "create-table", "--table-name", "CliTable",
                    "--attribute-definitions", "AttributeName=id,AttributeType=S",
                    "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST");
            assertEquals("ACTIVE", created.path("TableDescription").path("TableStatus").asText());
            aws(cli, port, "wait", "table-exists", "--table-name", "CliTable");

            aws(cli, port, "put-item", "--table-name", "CliTable", "--item",
                    "{\"id\":{\"S\":\"k1\"},\"price\":{\"N\":\"1.50\"},\"tags\":{\"SS\":[\"a\"]},\"ok\":{\"BOOL\":true}}");
            JsonNode got = aws(cli, port, "get-item", "--table-name", "CliTable", "--consistent-read",
                    "--key", "{\"id\":{\"S\":\"k1\"}}");
            assertEquals(JSON.readTree("{\"id\":{\"S\":\"k1\"},\"price\":{\"N\":\"1.5\"},\"tags\":{\"SS\":[\"a\"]},"
                    + "\"ok\":{\"BOOL\":true}}"), got.path("Item"));

            JsonNode tables = aws(cli, port, "list-tables");
            assertEquals(JSON.readTree("[\"CliTable\"]"), tables.path("TableNames"));
        }
    }

    @Test
    void theAwsCliReadsATablesStream() throws Exception {
        Path cli = awsCli();
        try (JarServer server = JarServer.start(temp.resolve("data"))) {
            int port = server.port();
            JsonNode created = aws(cli, port, "create-table", "--table-name", "CliStream",
                    "--attribute-definitions", "AttributeName=id,AttributeType=S",
                    "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST",
                    "--stream-specification", "StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES");
            String arn = created.path("TableDescription").path("LatestStreamArn").asText();
            aws(cli, port, "put-item", "--table-name", "CliStream", "--item", "{\"id\":{\"S\":\"k1\"}}");
            aws(cli, port, "put-item", "--table-name", "CliStream", "--item",
                    "{\"id\":{\"S\":\"k1\"},\"n\":{\"N\":\"2\"}}");

            JsonNode listed = awsService(cli, port, "dynamodbstreams", "list-streams", "--table-name",
                    "CliStream");
            assertEquals(arn, listed.path("Streams").path(0).path("StreamArn").asText());
            JsonNode described = awsService(cli, port, "dynamodbstreams", "describe-stream", "--stream-arn", arn);
            assertEquals("ENABLED", described.path("StreamDescription").path("StreamStatus").asText());
            List<String> events = new ArrayList<>();
            for (JsonNode shard : described.path("StreamDescription").path("Shards")) {
                String iterator = awsService(cli, port, "dynamodbstreams", "get-shard-iterator", "--stream-arn",
                        arn, "--shard-id", shard.path("ShardId").asText(), "--shard-iterator-type", "TRIM_HORIZON")
                        .path("ShardIterator").asText();
                JsonNode records = awsService(cli, port, "dynamodbstreams", "get-records", "--shard-iterator",
                        iterator);
                for (JsonNode record : records.path("Records")) {
                    events.add(record.path("eventName").asText() + " " + record.path("dynamodb").path("NewImage"));
                    assertEquals("us-east-1", record.path("awsRegion").asText());
                }
            }
            assertEquals(List.of("INSERT {\"id\":{\"S\":\"k1\"}}", "MODIFY {\"id\":{\"S\":\"k1\"},\"n\":{\"N\":\"2\"}}"),
                    events);
        }
    }

    @Test
    void theAwsCliTagsATableAndReadsItsLimitsEndpointsAndBackups() throws Exception {
        Path cli = awsCli();
        try (JarServer server = JarServer.start(temp.resolve("data"))) {
            int port = server.port();
            String arn = aws(cli, port, "create-table", "--table-name", "Tagged",
                    "--attribute-definitions", "AttributeName=id,AttributeType=S",
                    "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
                    .path("TableDescription").path("TableArn").asText();
            aws(cli, port, "tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=orders",
                    "Key=env,Value=dev");
            aws(cli, port, "untag-resource", "--resource-arn", arn, "--tag-keys", "env");
            assertEquals(JSON.readTree("[{\"Key\":\"team\",\"Value\":\"orders\"}]"),
                    aws(cli, port, "list-tags-of-resource", "--resource-arn", arn).path("Tags"));
            assertEquals(40000, aws(cli, port, "describe-limits").path("TableMaxReadCapacityUnits").asInt());
            assertEquals("127.0.0.1:" + port, aws(cli, port, "describe-endpoints").path("Endpoints").path(0)
                    .path("Address").asText());
            assertEquals("DISABLED", aws(cli, port, "describe-continuous-backups", "--table-name", "Tagged")
                    .path("ContinuousBackupsDescription").path("PointInTimeRecoveryDescription")
                    .path("PointInTimeRecoveryStatus").asText());
            assertEquals("DISABLED", aws(cli, port, "update-continuous-backups", "--table-name", "Tagged",
                    "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=false")
                    .path("ContinuousBackupsDescription").path("PointInTimeRecoveryDescription")
                    .path("PointInTimeRecoveryStatus").asText());
        }
    }

    @Test
    void theAwsCliSignsWithTheKeysOfTheAuthFileFromItsEnvironment() throws Exception {
        Path cli = awsCli();
        Path auth = temp.resolve("auth.json");
        Files.writeString(auth, """
                {"keys": [
                  {"accessKeyId": "AKIDCLI", "secretAccessKey": "cli-secret"},
                  {"accessKeyId": "AKIDCLIREADER", "secretAccessKey": "reader-secret", "readOnly": true}]}
                """);
        try (JarServer server = JarServer.start(temp.resolve("data"), Map.of(), "--auth", auth.toString())) {
            String endpoint = "http://127.0.0.1:" + server.port();
            Map<String, String> admin = Map.of("AWS_ACCESS_KEY_ID", "AKIDCLI", "AWS_SECRET_ACCESS_KEY", "cli-secret");
            Map<String, String> reader = Map.of("AWS_ACCESS_KEY_ID", "AKIDCLIREADER",
                    "AWS_SECRET_ACCESS_KEY", "reader-secret");
            run(cli, endpoint, admin, "dynamodb", "create-table", "--table-name", "Signed",
                    "--attribute-definitions", "AttributeName=id,AttributeType=S",
                    "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST").json();
            run(cli, endpoint, admin, "dynamodb", "put-item", "--table-name", "Signed", "--item",
                    "{\"id\":{\"S\":\"k1\"}}").json();
            assertEquals("k1", run(cli, endpoint, reader, "dynamodb", "get-item", "--table-name", "Signed", "--key",
                    "{\"id\":{\"S\":\"k1\"}}").json().path("Item").path("id").path("S").asText());
            run(cli, endpoint, reader, "dynamodb", "delete-table", "--table-name", "Signed")
                    .assertFails("AccessDeniedException");
            run(cli, endpoint, Map.of("AWS_ACCESS_KEY_ID", "AKIDCLI", "AWS_SECRET_ACCESS_KEY", "wrong"), "dynamodb",
                    "list-tables").assertFails("InvalidSignatureException");
            run(cli, endpoint, Map.of(), "dynamodb", "list-tables").assertFails("UnrecognizedClientException");
            assertEquals(JSON.readTree("[\"Signed\"]"),
                    run(cli, endpoint, admin, "dynamodb", "list-tables").json().path("TableNames"));
        }
    }

    @Test
    void theAwsCliTrustsTheServersCertificateGivenAsCaBundle() throws Exception {
        Path cli = awsCli();
        TestCertificates certs = TestCertificates.generate();
        try (JarServer server = JarServer.start(temp.resolve("data"), Map.of(), "--tls-cert", certs.cert().toString(),
                "--tls-key", certs.pkcs1Key().toString())) {
            String endpoint = "https://127.0.0.1:" + server.port();
            assertEquals(JSON.readTree("[]"), run(cli, endpoint, Map.of(), "dynamodb", "list-tables", "--ca-bundle",
                    certs.cert().toString()).json().path("TableNames"));
            assertEquals(JSON.readTree("[]"), run(cli, endpoint, Map.of("AWS_CA_BUNDLE", certs.cert().toString()),
                    "dynamodb", "list-tables").json().path("TableNames"));
            Cli untrusted = run(cli, endpoint, Map.of(), "dynamodb", "list-tables");
            assertEquals(255, untrusted.result().exitCode(), untrusted.result()::stderr);
            assertTrue(untrusted.result().stderr().contains("SSL validation failed"), untrusted.result()::stderr);
        } finally {
            certs.delete();
        }
    }
}
