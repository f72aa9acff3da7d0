package io.jormundb.api.auth;

import io.jormundb.api.config.ConfigException;
import io.jormundb.api.config.ConfigParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credentials file of {@code --auth}: what it holds, and the one-line reason when it is wrong. */
class CredentialsTest {
    @TempDir
    Path temp;

    private Path file(String json) throws IOException {
        Path f = temp.resolve("auth.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void keysWithTheirTablesAndReadOnlyFlagAreRead() throws IOException {
        Credentials c = Credentials.load(file("""
                {"keys": [
                  {"accessKeyId": "AKIDADMIN", "secretAccessKey": "a"},
                  {"accessKeyId": "AKIDREADER", "secretAccessKey": "r", "readOnly": true, "tables": ["Orders", "Audit-*"]}
                ], "regions": ["eu-west-1"]}"""));
        AccessKey admin = c.key("AKIDADMIN").orElseThrow();
        assertTrue(admin.mayWrite(null));
        AccessKey reader = c.key("AKIDREADER").orElseThrow();
        assertEquals(List.of("Orders", "Audit-*"), reader.tables());
        assertTrue(reader.mayRead("Orders") && reader.mayRead("Audit-2024") && !reader.mayRead("Audit"));
        assertFalse(reader.mayRead("Users") || reader.mayWrite("Orders") || reader.mayRead(null));
        assertTrue(c.acceptsRegion("eu-west-1"));
        assertFalse(c.acceptsRegion("us-east-1"));
        assertFalse(c.toString().contains("\"a\"") || reader.toString().contains("r,"), "no secret in messages");
    }

    @Test
    void theFlagAndItsEnvironmentVariableLoadTheFile() throws IOException {
        Path f = file("{\"keys\": [{\"accessKeyId\": \"AKID\", \"secretAccessKey\": \"s\"}]}");
        assertEquals(1, ConfigParser.parse(new String[] {"--auth", f.toString()}, Map.of()).auth().size());
        assertEquals(1, ConfigParser.parse(new String[0], Map.of("JORMUN_AUTH", f.toString())).auth().size());
    }

    @Test
    void aWrongFileIsRefusedWithAReason() throws IOException {
        assertRefused("{\"keys\": []}", "\"keys\" must be a non-empty list of access keys");
        // No region at all would refuse every signature; it let every region in.
        assertRefused("{\"keys\": [{\"accessKeyId\": \"AKID\", \"secretAccessKey\": \"s\"}], \"regions\": []}",
                "\"regions\" must be a non-empty list of strings");
        assertRefused("{\"keys\": [{\"accessKeyId\": \"AKID\"}]}",
                "keys[0] (AKID): secretAccessKey must be a non-empty string");
        assertRefused("{\"keys\": [{\"accessKeyId\": \"AKID\", \"secretAccessKey\": \"s\", \"readonly\": true}]}",
                "keys[0] (AKID): unknown member \"readonly\" (expected one of [accessKeyId, readOnly, secretAccessKey, "
                        + "tables])");
        assertRefused("{\"keys\": [{\"accessKeyId\": \"A\", \"secretAccessKey\": \"s\"}, "
                + "{\"accessKeyId\": \"A\", \"secretAccessKey\": \"t\"}]}", "access key id A is given twice");
        assertRefused("{\"keys\": [{\"accessKeyId\": \"A/B\", \"secretAccessKey\": \"s\"}]}",
                "keys[0]: accessKeyId must be 1 to 128 letters, digits, '_', '.' or '-'");
        assertRefused("{\"keys\": [{\"accessKeyId\": \"A\", \"secretAccessKey\": \"s\", \"tables\": [\"Or ders\"]}]}",
                "keys[0] (A): tables: 'Or ders' is not a valid name");
        ConfigException e = assertThrows(ConfigException.class, () -> Credentials.load(file("{\"keys\": [")));
        assertTrue(e.getMessage().startsWith("--auth " + temp.resolve("auth.json") + ": not valid JSON at line 1"),
                e.getMessage());
        // The file's text is not quoted back: an unquoted secret would be.
        e = assertThrows(ConfigException.class, () -> Credentials.load(file("{\"keys\": [{\"accessKeyId\": \"A\", "
                + "\"secretAccessKey\": SuperSecretValue}]}")));
        assertEquals("--auth " + temp.resolve("auth.json") + ": not valid JSON at line 1, column 51", e.getMessage());
        e = assertThrows(ConfigException.class, () -> Credentials.load(file("{\"keys\": [{\"accessKeyId\": \"A\", "
                + "\"secretAccessKey\": \"s\", \"secretAccessKey\": \"t\", \"tables\": [\"*\"]}]}")));
        assertTrue(e.getMessage().endsWith(": a member is given twice"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Credentials.load(file("{\"keys\": [{\"accessKeyId\": \"A\", "
                + "\"secretAccessKey\": \"s\", \"tables\": [\"*\"]}]} garbage")));
        assertTrue(e.getMessage().startsWith("--auth " + temp.resolve("auth.json") + ": not valid JSON at line 1"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> Credentials.load(temp.resolve("missing.json")));
        assertTrue(e.getMessage().startsWith("--auth " + temp.resolve("missing.json") + ": cannot read it"),
                e.getMessage());
    }

    private void assertRefused(String json, String reason) throws IOException {
        Path f = file(json);
        assertEquals("--auth " + f + ": " + reason,
                assertThrows(ConfigException.class, () -> Credentials.load(f)).getMessage());
    }
}
