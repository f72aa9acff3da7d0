package io.jormundb.api.fault;

import io.jormundb.api.JarServer;
import io.jormundb.api.RawHttp;
import io.jormundb.api.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Descriptor exhaustion, for real: the jar in a process limited to 256 descriptors
 * ({@code ulimit -n 256}), which idle TCP connections use up. RocksDB then cannot open its next
 * write-ahead log; writes answer 503 ServiceUnavailable naming the cause, {@code /health} 503.
 * Once the idle connections close, writes resume without a restart and nothing acknowledged is lost.
 */
class DescriptorExhaustionIT {
    private static final int LIMIT = 256;
    private static final int VALUE_BYTES = 380 * 1024;

    @TempDir
    Path dir;

    @Test
    void writesAnswer503WhileDescriptorsAreExhaustedAndResumeOnceConnectionsClose() throws Exception {
        try (JarServer server = JarServer.startWithFileLimit(dir.resolve("data"), LIMIT)) {
            assertTrue(server.log().contains("the file descriptor limit (ulimit -n) is " + LIMIT + ", below the 11000"),
                    server.log());
            Faults.createTable(server.client(), "fds");
            List<Socket> idle = new ArrayList<>();
            Set<String> acknowledged = new HashSet<>();
            try (RawHttp keep = new RawHttp(server.port())) {
                for (int i = 0; i < 2 * LIMIT; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    idle.add(s);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> server.log().contains("Too many open files"));
                System.out.println(idle.size() + " idle connections exhaust the server's descriptors");

                // Until RocksDB needs a new file (its next write-ahead log, at 64 MB of writes), writes go on.
                RawHttp.Response refused = null;
                for (int i = 0; i < 400 && refused == null; i++) {
                    RawHttp.Response r = post(keep, "PutItem", Faults.putItemJson("fds", "k" + i, VALUE_BYTES));
                    if (r.status() == 200) {
                        acknowledged.add("k" + i);
                    } else {
                        refused = r;
                    }
                }
                assertTrue(refused != null, "400 writes of " + VALUE_BYTES + " bytes all succeeded out of descriptors");
                System.out.println("writes stop after " + acknowledged.size() + ": " + refused.text());
                assertEquals(503, refused.status(), refused.text());
                assertEquals("ServiceUnavailable", refused.dynamoType());
                assertTrue(refused.json().get("message").asText().contains("no file descriptors left"), refused.text());
                RawHttp.Response health = get(keep, "/health");
                assertEquals(503, health.status(), health.text());
                assertTrue(health.json().get("reason").asText().contains("Too many open files"), health.text());
                assertEquals(503, post(keep, "PutItem", Faults.putItemJson("fds", "more", 10)).status());

                for (Socket s : idle) {
                    s.close();
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(
                        () -> assertEquals(200, get(keep, "/health").status()));
                RawHttp.Response after = post(keep, "PutItem", Faults.putItemJson("fds", "after", 10));
                assertEquals(200, after.status(), after.text());
                acknowledged.add("after");
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            Set<String> stored = new HashSet<>();
            server.client().scanPaginator(ScanRequest.builder().tableName("fds").projectionExpression("pk").build())
                    .items().forEach(item -> stored.add(item.get("pk").s()));
            assertEquals(acknowledged, stored);
        }
    }

    private static RawHttp.Response post(RawHttp http, String operation, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + Wire.JSON_1_0 + "\r\nX-Amz-Target: "
                + Wire.TARGET_PREFIX + operation + "\r\nContent-Length: " + bytes.length + "\r\n\r\n");
        http.send(bytes);
        return http.response();
    }

    private static RawHttp.Response get(RawHttp http, String path) {
        http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return http.response();
    }
}
