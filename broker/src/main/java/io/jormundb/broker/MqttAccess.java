package io.jormundb.broker;

import java.util.Optional;

/**
 * Who may log in to the embedded broker with which user name and password, and which tables'
 * changes each login may subscribe to (the server's {@code --auth} access keys). Thread-safe.
 */
public interface MqttAccess {
    /**
     * The login a CONNECT's user name and password are, or empty when they are none.
     *
     * @param password as sent ({@code null} when the CONNECT has none)
     */
    Optional<String> login(String user, byte[] password);

    /** Whether {@code login} may read the changes of {@code table}; {@code null} is every table at once. */
    boolean mayRead(String login, String table);
}
