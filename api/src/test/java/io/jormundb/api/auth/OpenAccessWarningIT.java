package io.jormundb.api.auth;

import io.jormundb.api.JarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without {@code --auth}, the server warns once at start when other machines can reach it. */
class OpenAccessWarningIT {
    private static final String WARNING = "WARN OpenAccessWarning - no --auth: anyone who reaches 0.0.0.0 may read, "
            + "write and delete every table over HTTP (see docs/security.md)";

    @TempDir
    Path temp;

    @Test
    void listeningOnEveryAddressWithoutAuthLogsOneWarning() throws Exception {
        try (JarServer server = JarServer.start(temp.resolve("data"), Map.of(), "--host", "0.0.0.0")) {
            assertEquals(1, server.log().lines().filter(l -> l.contains(WARNING)).count(), server::log);
        }
    }

    @Test
    void listeningOnLoopbackOnlyOrWithAuthLogsNoWarning() throws Exception {
        Path auth = temp.resolve("auth.json");
        Files.writeString(auth, "{\"keys\": [{\"accessKeyId\": \"AKID\", \"secretAccessKey\": \"s\"}]}");
        try (JarServer loopback = JarServer.start(temp.resolve("loopback"), Map.of());
             JarServer withAuth = JarServer.start(temp.resolve("auth"), Map.of("JORMUN_AUTH", auth.toString()),
                     "--host", "0.0.0.0")) {
            assertEquals(0, loopback.log().lines().filter(l -> l.contains("no --auth")).count(), loopback::log);
            assertEquals(0, withAuth.log().lines().filter(l -> l.contains("no --auth")).count(), withAuth::log);
        }
    }
}
