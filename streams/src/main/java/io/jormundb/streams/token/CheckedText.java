package io.jormundb.streams.token;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;

import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Opaque text that clients hold and hand back (resume tokens, shard iterators): URL-safe base64
 * without padding of a body and its CRC32C (4 bytes), so that a truncated or edited text is
 * refused instead of pointing somewhere else. What the body means, and that only one text names
 * it (the caller re-encodes and compares), is the caller's.
 */
public final class CheckedText {
    private static final int CRC_BYTES = 4;

    private CheckedText() {
    }

    /** Why a text is not one {@link #encode} made. */
    public static final class MalformedException extends Exception {
        private final boolean checksumMismatch;

        private MalformedException(String reason, boolean checksumMismatch) {
            super(reason, null, false, false);
            this.checksumMismatch = checksumMismatch;
        }

        /** Whether the text decodes but its checksum does not match (altered or truncated). */
        public boolean checksumMismatch() {
            return checksumMismatch;
        }
    }

    /** The text of {@code body}. */
    public static String encode(ByteWriter body) {
        CRC32C crc = new CRC32C();
        crc.update(body.toByteArray());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(body.writeInt((int) crc.getValue()).toByteArray());
    }

    /**
     * The body of {@code text}.
     *
     * @throws MalformedException when it is longer than {@code maxLength} characters, not URL-safe
     *                            base64, shorter than {@code minBodyBytes} plus the checksum, or
     *                            its checksum does not match
     */
    public static byte[] decode(String text, int maxLength, int minBodyBytes) throws MalformedException {
        if (text.length() > maxLength) {
            throw new MalformedException("longer than " + maxLength + " characters", false);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedException("not URL-safe base64", false);
        }
        if (bytes.length < minBodyBytes + CRC_BYTES) {
            throw new MalformedException("too short", false);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - CRC_BYTES);
        if ((int) crc.getValue() != new ByteReader(bytes, bytes.length - CRC_BYTES, bytes.length).readInt()) {
            throw new MalformedException("checksum mismatch", true);
        }
        return Arrays.copyOf(bytes, bytes.length - CRC_BYTES);
    }
}
