package io.jormundb.api.fault;

import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A full disk, for real: the data directory on an 8 MB tmpfs, filled by writes until RocksDB
 * cannot append to its write-ahead log. Writes then answer 503 ServiceUnavailable naming the
 * cause and {@code /health} answers 503; once space is freed they resume, without a restart,
 * and every acknowledged write is there — also after a restart.
 */
class DiskFullTest {
    private static final int VALUE_BYTES = 200 * 1024;

    @Test
    void writesStopWith503WhileTheDiskIsFullAndResumeOnceSpaceIsFreedLosingNothing() throws Exception {
        try (SmallDisk disk = SmallDisk.mount("8m")) {
            Path filler = disk.root().resolve("filler");
            Files.write(filler, new byte[1024 * 1024]);
            try (TestServer server = TestServer.startOn(disk.root().resolve("data"), UnaryOperator.identity())) {
                DynamoDbClient client = server.client();
                Faults.createTable(client, "full");
                List<String> acknowledged = new ArrayList<>();
                DynamoDbException refused = null;
                for (int i = 0; i < 100 && refused == null; i++) {
                    try {
                        put(client, "k" + i);
                        acknowledged.add("k" + i);
                    } catch (DynamoDbException e) {
                        refused = e;
                    }
                }
                if (refused == null) {
                    fail("100 writes of " + VALUE_BYTES + " bytes fit on an 8 MB disk");
                }
                System.out.println("disk full after " + acknowledged.size() + " writes: " + refused.getMessage());
                assertEquals(503, refused.statusCode());
                assertEquals("ServiceUnavailable", refused.awsErrorDetails().errorCode());
                assertTrue(refused.awsErrorDetails().errorMessage().contains("the disk holding the data directory is full"),
                        refused.awsErrorDetails().errorMessage());

                Wire.Reply health = server.wire().get("/health");
                assertEquals(503, health.status(), health.text());
                assertEquals("unavailable", health.json().get("status").asText());
                assertTrue(health.json().get("reason").asText().contains("No space left on device"), health.text());
                Wire.Reply again = server.wire().post("PutItem", Faults.putItemJson("full", "more", 10));
                assertEquals(503, again.status(), again.text());
                assertEquals("ServiceUnavailable", again.errorType());
                assertEquals(acknowledged.size(), scanKeys(client).size(), "reads go on while writes stop");

                Files.delete(filler);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(
                        () -> assertEquals(200, server.wire().get("/health").status()));
                put(client, "after");
                acknowledged.add("after");
                assertEquals(new HashSet<>(acknowledged), scanKeys(client));

                server.restart();
                assertEquals(new HashSet<>(acknowledged), scanKeys(server.client()), "after a restart");
            }
        }
    }

    private static void put(DynamoDbClient client, String key) {
        client.putItem(b -> b.tableName("full").item(Map.of("pk", AttributeValue.fromS(key),
                "v", AttributeValue.fromB(SdkBytes.fromByteArray(Faults.incompressible(VALUE_BYTES, key.hashCode()))))));
    }

    private static Set<String> scanKeys(DynamoDbClient client) {
        Set<String> keys = new HashSet<>();
        client.scanPaginator(ScanRequest.builder().tableName("full").projectionExpression("pk").build())
                .items().forEach(item -> keys.add(item.get("pk").s()));
        return keys;
    }
}
