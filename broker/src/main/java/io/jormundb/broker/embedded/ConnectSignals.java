package io.jormundb.broker.embedded;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when Moquette has really taken a connection as connected. Moquette 0.17 answers CONNACK
 * and only then, in a listener of that write that Netty may run as a later task, marks the
 * connection connected; a packet it reads before that (a SUBSCRIBE that the client sent right
 * behind its CONNECT, or as soon as the CONNACK came) is dropped ("SUBSCRIBE received on already
 * closed connection") and the connection closed. Moquette notifies its interceptors of the
 * connection just after it marked it, so whoever waits for {@link #expect}'s future may send on.
 * Keyed by client id: the guard lets one connection of a client id connect at a time
 * ({@link ConnectGuard#takeTurn}), and the broker's own connections of an id
 * ({@link MoquetteSessions}) come only while none of the guard's does. Thread-safe: a list is
 * changed only inside the map's atomic updates.
 */
final class ConnectSignals extends AbstractInterceptHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectSignals.class);

    private final Map<String, List<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    /** A future completed once Moquette took a connection of {@code clientId} as connected; call before sending its CONNECT. */
    CompletableFuture<Void> expect(String clientId) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        waiting.compute(clientId, (id, futures) -> {
            List<CompletableFuture<Void>> list = futures == null ? new ArrayList<>(1) : futures;
            list.add(connected);
            return list;
        });
        return connected;
    }

    /** No longer waits for {@code connected} (its connection closed or timed out). */
    void cancel(String clientId, CompletableFuture<Void> connected) {
        waiting.computeIfPresent(clientId, (id, futures) -> {
            futures.remove(connected);
            return futures.isEmpty() ? null : futures;
        });
    }

    @Override
    public String getID() {
        return "jormundb-connect-signals";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return new Class<?>[] {InterceptConnectMessage.class};
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        List<CompletableFuture<Void>> futures = waiting.remove(msg.getClientID());
        if (futures != null) {
            futures.forEach(f -> f.complete(null));
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        LOG.error("the embedded MQTT broker failed in a session loop", error);
    }
}
