package io.jormundb.api.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.api.RawHttp;
import io.jormundb.api.TestServer;
import io.jormundb.api.http.HttpErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the checked-in corpus of malformed and hostile requests ({@link BadInputCorpus}) against
 * the real server, each on its own connection: every one gets a 4xx — the one the corpus expects —
 * in the JSON shape of its endpoint, none a 5xx, a hang or a connection closed without an answer;
 * and afterwards every table, setting, item and stream record is as it was.
 */
class BadInputCorpusTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @Test
    void everyHostileRequestGetsItsJsonErrorAndChangesNothing() {
        SeededTables.seed(SERVER.client());
        String before = SeededTables.digest(SERVER.client(), SERVER.get().streams());
        List<BadInputCorpus.Case> cases = BadInputCorpus.load();
        assertTrue(cases.size() >= 300, "the corpus holds " + cases.size() + " cases");

        List<String> wrong = new ArrayList<>();
        long start = System.nanoTime();
        for (BadInputCorpus.Case c : cases) {
            String problem = replay(c);
            if (problem != null) {
                wrong.add(c + ": " + problem);
            }
        }
        System.out.printf("replayed %d hostile requests in %d ms%n", cases.size(), (System.nanoTime() - start) / 1_000_000);
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases.size() + " answered wrongly:\n"
                + String.join("\n", wrong));
        assertEquals(before, SeededTables.digest(SERVER.client(), SERVER.get().streams()));
    }

    /** What is wrong with the answer to {@code c}, or {@code null}. */
    private static String replay(BadInputCorpus.Case c) {
        RawHttp.Response r;
        try (RawHttp http = new RawHttp(SERVER.get().port())) {
            r = http.timeout(Duration.ofSeconds(10)).send(c.request()).response();
        } catch (RuntimeException e) {
            return "no answer: " + e;
        }
        String text = r.text().length() > 300 ? r.text().substring(0, 300) + "…" : r.text();
        if (r.status() != c.status()) {
            return "status " + r.status() + " instead of " + c.status() + ": " + text;
        }
        JsonNode json;
        try {
            json = r.json();
        } catch (RuntimeException e) {
            return "not JSON: " + text;
        }
        String type;
        if (c.dynamoShape()) {
            String t = json.path("__type").asText("");
            if (!t.startsWith(HttpErrors.DYNAMODB_TYPE_PREFIX)) {
                return "not DynamoDB's error shape: " + text;
            }
            type = t.substring(HttpErrors.DYNAMODB_TYPE_PREFIX.length());
        } else {
            type = json.path("error").asText("");
        }
        if (!type.equals(c.type())) {
            return "error " + type + " instead of " + c.type() + ": " + text;
        }
        String message = json.path("message").asText("");
        if (message.isBlank() || message.length() > 4200) {
            return "a message of " + message.length() + " characters: " + text;
        }
        return null;
    }
}
