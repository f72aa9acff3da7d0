package io.jormundb.broker.topic;

import java.nio.charset.StandardCharsets;

/**
 * The MQTT topic of a change (DESIGN.md, "MQTT"): {@code jormundb/<table>/<partitionKey>} for a
 * table without a sort key, {@code jormundb/<table>/<partitionKey>/<sortKey>} otherwise, each
 * level being key text. So that one level of the topic is exactly one key, whatever its value,
 * the characters that mean something to MQTT ({@code /}, {@code +}, {@code #}), the escape
 * character itself ({@code %}), the control characters U+0000–U+001F and U+007F–U+009F and the
 * Unicode non-characters are written as {@code %XX} (uppercase hex of each of their UTF-8 bytes);
 * everything else, spaces and non-ASCII included, stays as is. Example: the key {@code a/b+%} is
 * the level {@code a%2Fb%2B%25}, the key {@code c\u0085} the level {@code c%C2%85}.
 *
 * <p>The encoding is injective (a {@code %} in a key is always escaped), so two keys never
 * share a topic. Stateless and thread-safe.
 */
public final class MqttTopics {
    /** The first level of every topic the server publishes; clients may not publish under it. */
    public static final String ROOT = "jormundb";
    /** MQTT writes a topic's length in two bytes: no topic is longer (in UTF-8). */
    public static final int MAX_TOPIC_BYTES = 65_535;
    /** MQTT's largest packet: a fixed header of 5 bytes and 268,435,455 more. */
    public static final long MAX_PACKET_BYTES = 268_435_460L;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MqttTopics() {
    }

    /** The topic of a change to the item with these keys ({@code sortKeyText} null when the table has none). */
    public static String of(String tableName, String partitionKeyText, String sortKeyText) {
        StringBuilder topic = new StringBuilder(ROOT.length() + tableName.length() + partitionKeyText.length()
                + (sortKeyText == null ? 0 : sortKeyText.length()) + 8);
        topic.append(ROOT).append('/');
        appendLevel(topic, tableName);
        topic.append('/');
        appendLevel(topic, partitionKeyText);
        if (sortKeyText != null) {
            topic.append('/');
            appendLevel(topic, sortKeyText);
        }
        return topic.toString();
    }

    /** The topic of announcements about a table as a whole (its deletion): {@code jormundb/<table>}. */
    public static String table(String tableName) {
        return ROOT + '/' + level(tableName);
    }

    /**
     * Whether {@code topic} fits in an MQTT packet. DynamoDB's key size limits keep every change's
     * topic far below {@value #MAX_TOPIC_BYTES} bytes, even fully percent-encoded; a longer key can
     * only come from data written before those limits were enforced.
     */
    public static boolean fits(String topic) {
        // At most 3 UTF-8 bytes per char (a surrogate pair: 4 bytes for 2 chars).
        return topic.length() * 3L <= MAX_TOPIC_BYTES
                || topic.getBytes(StandardCharsets.UTF_8).length <= MAX_TOPIC_BYTES;
    }

    /**
     * The size of the QoS 1 PUBLISH packet that carries {@code payloadBytes} on {@code topic}: its
     * fixed header (a byte and the remaining length, 1 to 4 bytes), the topic with its length, the
     * packet id, the payload.
     */
    public static long publishPacketBytes(String topic, long payloadBytes) {
        long remaining = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + payloadBytes;
        int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + remaining;
    }

    /** One topic level: {@code text} with the reserved characters percent-encoded. */
    public static String level(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        appendLevel(out, text);
        return out.toString();
    }

    /** Whether {@code topic} is in the server's namespace ({@code jormundb} or below it). */
    public static boolean isReserved(String topic) {
        return topic.equals(ROOT) || topic.startsWith(ROOT + "/");
    }

    /**
     * Whether a subscription to {@code filter} receives messages on {@code topic} (MQTT 3.1.1
     * §4.7): levels are split at {@code /}; {@code +} matches exactly one level, an empty one
     * included; {@code #}, last, matches its parent level and everything below it. So
     * {@code jormundb/Orders/#} matches {@code jormundb/Orders} (a table's announcements) and
     * every change of the table, {@code jormundb/+/c1} the partition key {@code c1} of every table
     * without a sort key. The embedded broker routes by the same rules.
     */
    public static boolean matches(String filter, String topic) {
        int f = 0;
        int t = 0; // where the topic's next level starts; past its length once every level was matched
        while (true) {
            int filterEnd = levelEnd(filter, f);
            int length = filterEnd - f;
            if (length == 1 && filter.charAt(f) == '#') {
                return true;
            }
            if (t > topic.length()) {
                return false;
            }
            int topicEnd = levelEnd(topic, t);
            boolean anyLevel = length == 1 && filter.charAt(f) == '+';
            if (!anyLevel && (length != topicEnd - t || !filter.regionMatches(f, topic, t, length))) {
                return false;
            }
            f = filterEnd + 1;
            t = topicEnd + 1;
            if (f > filter.length()) {
                return t > topic.length();
            }
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static void appendLevel(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (escaped(c)) {
                for (byte b : text.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            } else {
                out.append(text, i, next);
            }
            i = next;
        }
    }

    /**
     * What a level writes as {@code %XX}: MQTT's own characters, the escape character, and what
     * MQTT 3.1.1 says a topic should not hold (§1.5.3), on which some clients close the connection:
     * the control characters U+0000–U+001F and U+007F–U+009F, and the Unicode non-characters
     * (U+FDD0–U+FDEF and the last two code points of every plane).
     */
    private static boolean escaped(int c) {
        return c == '/' || c == '+' || c == '#' || c == '%' || c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
    }

    /** The key text of a level written by {@link #level}; the inverse, for subscribers and tests. */
    public static String decodeLevel(String level) {
        if (level.indexOf('%') < 0) {
            return level;
        }
        byte[] utf8 = level.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[utf8.length];
        int n = 0;
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%' && i + 2 < utf8.length) {
                out[n++] = (byte) Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16);
                i += 2;
            } else {
                out[n++] = utf8[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
