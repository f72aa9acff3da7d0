package io.jormundb.streams.token;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteWriter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume tokens: what is encoded decodes to the same position, any edit of the text is rejected, and every token is short. */
class TokenCodecTest {
    /** Every character a token can hold, and some it cannot. */
    private static final String CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .%\u00e9";
    private static final Position LARGEST = new Position(Long.MAX_VALUE, Position.MAX_INDEX);

    private static List<ResumeToken> samples() {
        Random random = new Random(42);
        List<ResumeToken> out = new ArrayList<>();
        out.add(new ResumeToken.AllTables(Position.START));
        out.add(new ResumeToken.AllTables(new Position(912, 3)));
        out.add(new ResumeToken.AllTables(LARGEST));
        out.add(new ResumeToken.Table(1, 0, Position.START));
        out.add(new ResumeToken.Table(7, 1_764_240_000_123L, new Position(1L << 40, 17)));
        out.add(new ResumeToken.Table(Long.MAX_VALUE, Long.MAX_VALUE, LARGEST));
        for (int i = 0; i < 20; i++) {
            Position p = new Position(random.nextLong(1L << (1 + random.nextInt(62))), random.nextInt(Position.MAX_INDEX));
            out.add(random.nextBoolean() ? new ResumeToken.AllTables(p)
                    : new ResumeToken.Table(1 + random.nextInt(100_000), random.nextLong(1L << 42), p));
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
    void noTokenIsLongerThan64CharactersWhateverItsNumbers() {
        String largest = TokenCodec.encode(new ResumeToken.Table(Long.MAX_VALUE, Long.MAX_VALUE, LARGEST));
        assertEquals(48, largest.length());
        for (ResumeToken token : samples()) {
            assertTrue(TokenCodec.encode(token).length() <= TokenCodec.MAX_LENGTH, token::toString);
        }
    }

    @Test
    void goldenTokensFreezeTheFormat() {
        assertEquals("AgEAAFJB-jg", TokenCodec.encode(new ResumeToken.AllTables(Position.START)));
        assertEquals("AgGQBwN6rTOt", TokenCodec.encode(new ResumeToken.AllTables(new Position(912, 3))));
        assertEquals("AgKQBwMH-4iYp6wzGxr1Cg",
                TokenCodec.encode(new ResumeToken.Table(7, 1_764_240_000_123L, new Position(912, 3))));
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
    void aLongerEncodingOfTheSamePositionIsRejected() {
        // 0x80 0x00 is a two-byte varint of 0: the same position as the canonical one-byte 0x00.
        String padded = withChecksum(new ByteWriter(8).write(2).write(1).write(0x80).write(0x00).write(0));
        assertEquals("malformed resume token: not in canonical form",
                assertThrows(InvalidTokenException.class, () -> TokenCodec.decode(padded)).getMessage());
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
        assertEquals("malformed resume token: longer than 64 characters", assertThrows(InvalidTokenException.class,
                () -> TokenCodec.decode("A".repeat(65))).getMessage());
        String formatOne = withChecksum(new ByteWriter(8).write(1).write(1).write(0).write(0));
        assertEquals("resume token has format version 1; this server reads 2 (tokens of an earlier JormunDB are "
                + "not accepted)", assertThrows(InvalidTokenException.class, () -> TokenCodec.decode(formatOne))
                .getMessage());
        String unknownKind = withChecksum(new ByteWriter(8).write(2).write(9).write(0).write(0));
        assertEquals("malformed resume token: unknown kind 9",
                assertThrows(InvalidTokenException.class, () -> TokenCodec.decode(unknownKind)).getMessage());
        String trailing = withChecksum(new ByteWriter(8).write(2).write(1).write(0).write(0).write(0));
        assertEquals("malformed resume token: trailing bytes",
                assertThrows(InvalidTokenException.class, () -> TokenCodec.decode(trailing)).getMessage());
    }

    @Test
    void noByteStringMakesTheDecoderDoAnythingButDecodeOrRefuse() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            byte[] body = new byte[random.nextInt(40)];
            random.nextBytes(body);
            if (body.length > 0 && random.nextBoolean()) {
                body[0] = 2;
            }
            ByteWriter out = new ByteWriter(48);
            for (byte b : body) {
                out.write(b & 0xFF);
            }
            // Half of them with a valid checksum, so that the decoder's inner checks are reached.
            String text = random.nextBoolean() ? withChecksum(out)
                    : Base64.getUrlEncoder().withoutPadding().encodeToString(body);
            try {
                ResumeToken token = TokenCodec.decode(text);
                assertEquals(text, TokenCodec.encode(token));
            } catch (InvalidTokenException expected) {
                // Refused with its own error: the one allowed failure.
            }
        }
    }

    private static String withChecksum(ByteWriter out) {
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.writeInt((int) crc.getValue()).toByteArray());
    }

    private static void assertRejected(String text) {
        assertThrows(InvalidTokenException.class, () -> TokenCodec.decode(text), text);
    }
}
