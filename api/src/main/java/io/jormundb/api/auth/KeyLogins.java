package io.jormundb.api.auth;

import io.jormundb.broker.MqttAccess;

import java.security.MessageDigest;
import java.util.Optional;

/** MQTT logins with the access keys of {@code --auth}: user name the key id, password its secret. */
public final class KeyLogins implements MqttAccess {
    private final Credentials credentials;

    public KeyLogins(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Optional<String> login(String user, byte[] password) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        return credentials.key(user).filter(key -> MessageDigest.isEqual(key.secretBytes(), password))
                .map(AccessKey::id);
    }

    @Override
    public boolean mayRead(String login, String table) {
        return credentials.key(login).map(key -> key.mayRead(table)).orElse(false);
    }
}
