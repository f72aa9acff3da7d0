package io.jormundb.engine.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds a stored-format decoder random bytes and damaged copies of valid encodings (bits
 * flipped, bytes replaced, inserted, dropped, truncated, appended). The decoder may decode or
 * throw {@link CorruptDataException}; anything else (another exception, an error) fails the test.
 */
public final class DecoderFuzz {
    private DecoderFuzz() {
    }

    public static void assertDecodesOrRefuses(Function<byte[], ?> decoder, List<byte[]> valid, int rounds) {
        Random random = new Random(20261204);
        for (int round = 0; round < rounds; round++) {
            byte[] input = random.nextInt(8) == 0 ? randomBytes(random)
                    : damaged(valid.get(random.nextInt(valid.size())), random);
            try {
                decoder.apply(input);
            } catch (CorruptDataException expected) {
                // The one failure a decoder may report.
            } catch (RuntimeException | Error e) {
                fail("decoding " + KeyValues.hex(input) + " threw " + e, e);
            }
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] damaged(byte[] valid, Random random) {
        byte[] out = valid.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = out.length == 0 ? 0 : random.nextInt(out.length);
            out = switch (random.nextInt(6)) {
                case 0 -> flipBit(out, at, random);
                case 1 -> replace(out, at, random);
                case 2 -> insert(out, at, random);
                case 3 -> out.length == 0 ? out : remove(out, at);
                case 4 -> Arrays.copyOf(out, random.nextInt(out.length + 1));
                default -> insert(out, out.length, random);
            };
        }
        return out;
    }

    private static byte[] flipBit(byte[] b, int at, Random random) {
        if (b.length > 0) {
            b[at] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private static byte[] replace(byte[] b, int at, Random random) {
        if (b.length > 0) {
            b[at] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, Random random) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = (byte) random.nextInt(256);
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static byte[] remove(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }
}
