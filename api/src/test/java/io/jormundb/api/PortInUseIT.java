package io.jormundb.api;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port in use, HTTP or MQTT or MQTT over WebSockets: the jar exits at once, says why in one line, holds nothing. */
class PortInUseIT {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--port", "--mqtt-port", "--mqtt-ws-port"})
    void aPortInUseExitsAtOnceWithOneLineNamingItsFlagAndLeavesTheDataDirectoryFree(String flag) throws Exception {
        Path dataDir = temp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             ServerSocket freeMqtt = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int mqttPort = freeMqtt.getLocalPort();
            freeMqtt.close();
            List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0",
                    "--mqtt-port", Integer.toString(mqttPort), "--data-dir", dataDir.toAbsolutePath().toString()));
            args.addAll(List.of(flag, Integer.toString(taken.getLocalPort())));

            long start = System.nanoTime();
            JarServer.Result result = JarServer.run(JarServer.command(args.toArray(String[]::new)), Map.of(), temp);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertNotEquals(0, result.exitCode());
            assertEquals(List.of("jormundb: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (" + flag
                    + "): address already in use"), result.stderrLines());
            assertEquals("", result.stdout());
            assertTrue(tookMs < 5_000, "exited after " + tookMs + " ms");
        }
        try (JarServer next = JarServer.start(dataDir)) {
            assertEquals(200, next.wire().post("ListTables", "{}").status(), "the data directory is free again");
        }
    }
}
