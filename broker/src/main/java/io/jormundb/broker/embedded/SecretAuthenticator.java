package io.jormundb.broker.embedded;

import io.moquette.broker.security.IAuthenticator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Moquette's authenticator: accepts the guard's connections only, which carry the guard's
 * secret as password and, as user name, the login the guard checked ({@link TopicAccess} reads
 * it); any user name with any other password is refused.
 */
final class SecretAuthenticator implements IAuthenticator {
    private final byte[] secret;

    SecretAuthenticator(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        return username != null && password != null && MessageDigest.isEqual(secret, password);
    }
}
