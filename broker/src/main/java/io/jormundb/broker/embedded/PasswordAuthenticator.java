package io.jormundb.broker.embedded;

import io.moquette.broker.security.IAuthenticator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Accepts exactly one user name and password (from {@code --mqtt-user}/{@code --mqtt-password}). */
final class PasswordAuthenticator implements IAuthenticator {
    private final byte[] user;
    private final byte[] password;

    PasswordAuthenticator(String user, String password) {
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] givenPassword) {
        if (username == null || givenPassword == null) {
            return false;
        }
        // Both compared in constant time, and both always compared.
        boolean userMatches = MessageDigest.isEqual(user, username.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = MessageDigest.isEqual(password, givenPassword);
        return userMatches & passwordMatches;
    }
}
