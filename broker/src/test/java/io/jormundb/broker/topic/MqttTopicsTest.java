package io.jormundb.broker.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttTopicsTest {

    @Test
    void tableWithoutSortKeyHasThreeLevels() {
        assertEquals("jormundb/Users/u1", MqttTopics.of("Users", "u1", null));
    }

    @Test
    void tableWithSortKeyHasFourLevels() {
        assertEquals("jormundb/Orders/c42/2024-01-01", MqttTopics.of("Orders", "c42", "2024-01-01"));
    }

    /** Golden vectors: key text → exact topic level. They freeze the public topic format. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a/b          | a%2Fb",
            "a+b          | a%2Bb",
            "a#b          | a%23b",
            "100%         | 100%25",
            "%2F          | %252F",
            "\"a b\"      | \"a b\"",
            "grüße        | grüße",
            "日本         | 日本",
            "😀           | 😀",
            "7            | 7",
            "-1500.25     | -1500.25",
            "1E+130       | 1E%2B130",
            "AAEC_-8      | AAEC_-8",
            "+/#%         | %2B%2F%23%25",
            "$SYS         | $SYS"})
    void reservedCharactersArePercentEncodedAndTheRestStays(String keyText, String level) {
        assertEquals(level.strip(), MqttTopics.level(keyText.strip()));
    }

    @Test
    void controlCharactersAreEncodedAsUppercaseHex() {
        assertEquals("%00%01%09%0A%0D%1F%7F", MqttTopics.level("\u0000\u0001\t\n\r\u001f\u007f"));
        assertEquals("a%1Bb", MqttTopics.level("a\u001bb"));
        // C1 controls and non-characters, which MQTT 3.1.1 says a topic should not hold (mosquitto
        // closes the connection on them), as each of their UTF-8 bytes; the rest of Unicode stays.
        assertEquals("%C2%80%C2%85%C2%9F\u00a0", MqttTopics.level("\u0080\u0085\u009f\u00a0"));
        assertEquals("%EF%B7%90%EF%B7%AF\ufdf0%EF%BF%BE%EF%BF%BF", MqttTopics.level("\ufdd0\ufdef\ufdf0\ufffe\uffff"));
        assertEquals("%F0%9F%BF%BE%F4%8F%BF%BF\ud83d\ude00", MqttTopics.level("\ud83f\udffe\udbff\udfff\ud83d\ude00"));
    }

    @Test
    void everyLevelOfATopicIsEncoded() {
        assertEquals("jormundb/Orders/c%2F42/%23%2B%25 x", MqttTopics.of("Orders", "c/42", "#+% x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "a/b+c#d%e", "%%%", "%25", "\u0000\u007f", "ü/ß", "😀/😀", "\u0085\uffff\ud83f\udfff"})
    void decodeLevelInvertsLevel(String keyText) {
        assertEquals(keyText, MqttTopics.decodeLevel(MqttTopics.level(keyText)));
    }

    @Test
    void encodedLevelNeverContainsMqttSpecialOrControlCharacters() {
        Random random = new Random(42);
        int[] interesting = {0, 0x1f, '/', '+', '#', '%', 0x7f, 0x85, 0x9f, 0xa0, ' ', 'a', 0xe9, 0x65e5, 0xfdd0, 0xffff,
            0x1f600, 0x1fffe};
        Set<String> seen = new HashSet<>();
        Set<String> levels = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(6);
            for (int j = 0; j < length; j++) {
                key.appendCodePoint(random.nextInt(3) == 0 ? random.nextInt(0x80)
                        : interesting[random.nextInt(interesting.length)]);
            }
            String text = key.toString();
            String level = MqttTopics.level(text);
            assertTrue(level.codePoints().noneMatch(c -> c == '/' || c == '+' || c == '#' || c < 0x20
                    || (c >= 0x7f && c <= 0x9f) || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe), level);
            assertEquals(text, MqttTopics.decodeLevel(level));
            if (seen.add(text)) {
                assertTrue(levels.add(level), "two keys share the level " + level);
            }
        }
    }

    @Test
    void onlyTheServersNamespaceIsReserved() {
        assertTrue(MqttTopics.isReserved("jormundb"));
        assertTrue(MqttTopics.isReserved("jormundb/Orders/x"));
        assertTrue(MqttTopics.isReserved("jormundb/"));
        assertFalse(MqttTopics.isReserved("jormundbx/Orders"));
        assertFalse(MqttTopics.isReserved("app/jormundb/Orders"));
        assertFalse(MqttTopics.isReserved("Jormundb/Orders"));
    }

    @Test
    void aTablesOwnTopicIsItsLevelUnderTheRoot() {
        assertEquals("jormundb/Orders", MqttTopics.table("Orders"));
        assertEquals("jormundb/my.table-1", MqttTopics.table("my.table-1"));
    }

    @Test
    void aTopicFitsWhenItsUtf8IsAtMost65535Bytes() {
        assertTrue(MqttTopics.fits("j".repeat(65_535)));
        assertFalse(MqttTopics.fits("j".repeat(65_536)));
        assertTrue(MqttTopics.fits("é".repeat(32_767) + "j"));      // 65,535 bytes in 32,768 chars
        assertFalse(MqttTopics.fits("é".repeat(32_768)));           // 65,536 bytes
        assertFalse(MqttTopics.fits("😀".repeat(16_384)));          // 65,536 bytes in 32,768 chars
        // The longest keys DynamoDB allows, every byte percent-encoded, fit with room to spare.
        assertTrue(MqttTopics.fits(MqttTopics.of("t".repeat(255), "/".repeat(2048), "/".repeat(1024))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "#                 | jormundb/Orders/c1/o1 | true",
            "jormundb/#        | jormundb              | true",
            "jormundb/Orders/# | jormundb/Orders       | true",
            "jormundb/Orders/# | jormundb/Orders/c1/o1 | true",
            "jormundb/Orders/# | jormundb/Order/c1     | false",
            "jormundb/Orders/# | jormundb/Ordersx/c1   | false",
            "jormundb/+        | jormundb/Orders       | true",
            "jormundb/+        | jormundb/Orders/c1    | false",
            "jormundb/+/c1     | jormundb/Users/c1     | true",
            "jormundb/+/+      | jormundb/Orders       | false",
            "jormundb/+/c1/#   | jormundb/Users/c1     | true",
            "jormundb/Users/c1 | jormundb/Users/c1     | true",
            "jormundb/Users/c1 | jormundb/Users/c10    | false",
            "jormundb/Users/c1 | jormundb/Users/c1/x   | false",
            "jormundb/Users/c1 | jormundb/Users        | false",
            "+                 | jormundb              | true",
            "+/+               | /                     | true",
            "a//b              | a//b                  | true",
            "a/+/b             | a//b                  | true",
    })
    void filtersMatchTopicsLevelByLevel(String filter, String topic, boolean matches) {
        assertEquals(matches, MqttTopics.matches(filter, topic), filter + " on " + topic);
    }
}
