package io.jormundb.broker.embedded;

import io.jormundb.broker.MqttAccess;
import io.jormundb.broker.topic.MqttTopics;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;

/**
 * Moquette's authorization policy. Writes: clients publish anywhere except under
 * {@code jormundb/}, which only the server itself publishes to (its internal publishes do not
 * pass through this policy) — the second line only: the {@link ConnectGuard} answers and drops
 * such publishes before they reach Moquette (which would drop a refused publish without an
 * answer, so that a QoS 1 or 2 publisher waited forever), and refuses such wills at CONNECT
 * (which Moquette 0.17 publishes without asking this policy). Reads: a client logged in with an
 * access key (the guard hands Moquette the user name {@link #KEY_LOGIN}{@code <key id>}) may
 * subscribe only to filters whose messages under {@code jormundb/} are of tables its key may
 * read: {@code jormundb/Orders/#} needs table Orders, {@code jormundb/+/…}, {@code jormundb/#}
 * and {@code #} every table; filters outside {@code jormundb/} are open. Moquette answers a
 * refused filter with SUBACK failure (0x80). Everyone else (no {@code --auth}, the
 * {@code --mqtt-user} login, the guard itself) reads everything.
 */
final class TopicAccess implements IAuthorizatorPolicy {
    /** The start of the user name a key's login has at Moquette; no other login contains a colon. */
    static final String KEY_LOGIN = "key:";
    private static final String SHARED = "$share/";

    private final MqttAccess access;

    /** @param access the keys' tables, or {@code null} when no key logs in */
    TopicAccess(MqttAccess access) {
        this.access = access;
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        return !MqttTopics.isReserved(topic.toString());
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        if (access == null || user == null || !user.startsWith(KEY_LOGIN)) {
            return true;
        }
        String login = user.substring(KEY_LOGIN.length());
        String filter = topic.toString();
        if (filter.startsWith(SHARED)) {
            int groupEnd = filter.indexOf('/', SHARED.length());
            filter = groupEnd < 0 ? "" : filter.substring(groupEnd + 1);
        }
        String[] levels = filter.split("/", -1);
        if (levels[0].equals("#") || levels[0].equals("+")) {
            return access.mayRead(login, null);
        }
        if (!levels[0].equals(MqttTopics.ROOT) || levels.length < 2) {
            return true; // not the server's topics (nothing is published on "jormundb" itself)
        }
        String table = levels[1];
        return access.mayRead(login, table.equals("#") || table.equals("+") ? null : table);
    }
}
