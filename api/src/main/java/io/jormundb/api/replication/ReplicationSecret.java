package io.jormundb.api.replication;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret of a leader and its followers, sent as {@code Authorization: Bearer
 * <secret>} on every replication request and compared in constant time (SHA-256 digests of both
 * sides through {@link MessageDigest#isEqual}, so neither the content nor the length leaks
 * through timing). Immutable.
 */
public final class ReplicationSecret {
    private static final String BEARER = "Bearer ";
    private final byte[] digest;
    private final String header;

    public ReplicationSecret(String secret) {
        this.digest = sha256(secret);
        this.header = BEARER + secret;
    }

    /** The {@code Authorization} header value a follower sends. */
    public String authorization() {
        return header;
    }

    /** Whether an {@code Authorization} header value carries this secret. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length())));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
