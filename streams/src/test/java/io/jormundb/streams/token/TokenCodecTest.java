package io.jormundb.streams.token;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume tokens: what is encoded decodes to the same position, and any edit of the text is rejected. */
class TokenCodecTest {
    /** Every character a token can hold, and some it cannot. */
    private static final String CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .%\u00e9";

    private static List<ResumeToken> samples() {
        Random random = new Random(42);
        List<ResumeToken> out = new ArrayList<>();
        out.add(new ResumeToken.Table(TableCursor.of(1, 0, new long[] {0})));
        out.add(new ResumeToken.Table(TableCursor.of(7, 1_764_240_000_123L, new long[] {0, 17, 3, 1L << 40})));
        out.add(new ResumeToken.Table(TableCursor.of(Long.MAX_VALUE, Long.MAX_VALUE, new long[] {Long.MAX_VALUE})));
        out.add(new ResumeToken.AllTables(0, Map.of()));
        out.add(new ResumeToken.AllTables(9, Map.of(
                2L, TableCursor.of(2, 1_764_240_000_000L, new long[] {1, 2, 3, 4}),
                9L, TableCursor.of(9, 1_764_240_111_000L, new long[] {0, 0, 0, 0, 0, 0, 0, 300}))));
        for (int i = 0; i < 20; i++) {
            long[] sequences = new long[1 + random.nextInt(16)];
            for (int p = 0; p < sequences.length; p++) {
                sequences[p] = random.nextLong(1L << (1 + random.nextInt(62)));
            }
            out.add(new ResumeToken.Table(TableCursor.of(1 + random.nextInt(1000),
                    random.nextLong(1L << 42), sequences)));
        }
        return out;
    }

    @Test
    void everyTokenDecodesToThePositionItWasEncodedFrom() {
        for (ResumeToken token : samples()) {
            assertEquals(token, TokenCodec.decode(TokenCodec.encode(token)));
        }
    }

    @Test
    void encodeTableGivesTheSameTextAsEncodingATableToken() {
        long[] sequences = {4, 0, 99, 12};
        assertEquals(TokenCodec.encode(new ResumeToken.Table(TableCursor.of(3, 1_764_240_000_000L, sequences))),
                TokenCodec.encodeTable(3, 1_764_240_000_000L, sequences));
    }

    @Test
    void tokensAreUrlSafeText() {
        for (ResumeToken token : samples()) {
            assertTrue(TokenCodec.encode(token).matches("[A-Za-z0-9_-]+"), () -> TokenCodec.encode(token));
        }
    }

    @Test
    void everySingleCharacterEditOfATokenIsRejected() {
        for (ResumeToken sample : samples()) {
            String token = TokenCodec.encode(sample);
            for (int i = 0; i <= token.length(); i++) {
                for (char c : CHARACTERS.toCharArray()) {
                    assertRejected(token.substring(0, i) + c + token.substring(i));
                    if (i < token.length() && c != token.charAt(i)) {
                        assertRejected(token.substring(0, i) + c + token.substring(i + 1));
                    }
                }
                if (i < token.length()) {
                    assertRejected(token.substring(0, i) + token.substring(i + 1));
                }
            }
        }
    }

    @Test
    void everyTruncationOfATokenIsRejected() {
        for (ResumeToken sample : samples()) {
            String token = TokenCodec.encode(sample);
            for (int length = 0; length < token.length(); length++) {
                assertRejected(token.substring(0, length));
                assertRejected(token.substring(token.length() - length));
            }
        }
    }

    @Test
    void textThatIsNoTokenIsRejectedWithAReason() {
        assertEquals("missing resume token", assertThrows(InvalidTokenException.class,
                () -> TokenCodec.decode(null)).getMessage());
        assertEquals("malformed resume token: not URL-safe base64", assertThrows(InvalidTokenException.class,
                () -> TokenCodec.decode("not a token!")).getMessage());
        assertEquals("malformed resume token: too short", assertThrows(InvalidTokenException.class,
                () -> TokenCodec.decode("AAAA")).getMessage());
        assertEquals("resume token was altered or truncated (checksum mismatch)", assertThrows(
                InvalidTokenException.class, () -> TokenCodec.decode("AAAAAAAAAAAA")).getMessage());
    }

    private static void assertRejected(String text) {
        assertThrows(InvalidTokenException.class, () -> TokenCodec.decode(text), text);
    }
}
