package io.jormundb.api.http;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the HTTP listener does against too many and too slow clients:
 * <ul>
 *   <li>At most {@code max} connections are open ({@link #limitConnections}). At the cap the
 *   server stops accepting: a new connection waits in the kernel's accept queue (its TCP
 *   handshake done, its request unanswered) until an open one closes, and is refused by the
 *   kernel only once that queue is full. Meanwhile idle connections are closed after
 *   {@link #IDLE_AT_CAP} (or the SSE heartbeat and 5 s) instead of the usual idle timeout, so
 *   that waiting clients get in.</li>
 *   <li>A request's headers must all arrive within the header deadline of their first byte
 *   ({@link #connectionFactory}): a client that trickles them (one byte a second) is cut off, its
 *   connection closed, whatever the idle timeout (which each byte would restart). Over TLS the
 *   handshake has the same deadline from the connection's opening ({@link #tlsConnectionFactory}).</li>
 * </ul>
 * The body's own deadline is the reader's (see {@code JormunServer}).
 */
public final class HttpLimits {
    /** The idle timeout of connections while the connection cap is reached (at least; see {@link #limitConnections}). */
    public static final Duration IDLE_AT_CAP = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(HttpLimits.class);

    private HttpLimits() {
    }

    /**
     * Caps the connections of {@code connector} at {@code max}; at the cap, connections idle for
     * {@link #IDLE_AT_CAP}, or {@code sseHeartbeat} and 5 s more if that is longer, are closed (an
     * SSE feed writes a heartbeat at least that often, so open feeds stay open).
     */
    public static void limitConnections(Server server, AbstractConnector connector, int max, Duration sseHeartbeat) {
        long idleAtCap = Math.max(IDLE_AT_CAP.toMillis(), sseHeartbeat.plusSeconds(5).toMillis());
        NetworkConnectionLimit limit = new NetworkConnectionLimit(max, connector);
        limit.setEndPointIdleTimeout(idleAtCap);
        server.addBean(limit);
        server.addBean(new IdleAtCap(limit, connector, idleAtCap));
    }

    /**
     * Holds every connection's idle timeout at the cap's while the cap is reached, and closes those
     * that were closing (their FIN sent) at once.
     * Jetty's limit sets it once, when the cap is reached, on the connections open then: not on
     * the one whose arrival reached it, and a request on a connection sets its usual timeout
     * again, so idle connections kept their 120 s and a waiting client waited that long. Checked
     * every second; Jetty's limit gives them their usual timeout back once below the cap.
     */
    private static final class IdleAtCap extends AbstractLifeCycle {
        private final NetworkConnectionLimit limit;
        private final AbstractConnector connector;
        private final long idleMillis;
        private volatile Scheduler.Task next;

        IdleAtCap(NetworkConnectionLimit limit, AbstractConnector connector, long idleMillis) {
            this.limit = limit;
            this.connector = connector;
            this.idleMillis = idleMillis;
        }

        @Override
        protected void doStart() {
            schedule();
        }

        @Override
        protected void doStop() {
            Scheduler.Task task = next;
            if (task != null) {
                task.cancel();
            }
        }

        private void schedule() {
            next = connector.getScheduler().schedule(this::check, 1, TimeUnit.SECONDS);
        }

        private void check() {
            if (!isRunning()) {
                return;
            }
            if (limit.getNetworkConnectionCount() + limit.getPendingNetworkConnectionCount()
                    >= limit.getMaxNetworkConnectionCount()) {
                for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                    if (endPoint.isOutputShutdown()) {
                        // Closing, its FIN sent: Jetty waits for the client's own for another idle
                        // timeout, holding the place a waiting client needs. Nothing more is owed it.
                        endPoint.close();
                    } else if (endPoint.getIdleTimeout() > idleMillis) {
                        endPoint.setIdleTimeout(idleMillis);
                    }
                }
            }
            schedule();
        }
    }

    /** HTTP/1.1 connections whose request headers must arrive within {@code headerTimeout}. */
    public static HttpConnectionFactory connectionFactory(HttpConfiguration config, Duration headerTimeout) {
        return new HttpConnectionFactory(config) {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                HeaderDeadline connection = new HeaderDeadline(getHttpConfiguration(), connector, endPoint,
                        headerTimeout);
                connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
                return configure(connection, connector, endPoint);
            }
        };
    }

    /**
     * TLS whose handshake must be done within {@code timeout} of the connection's opening. The
     * header deadline ({@link #connectionFactory}) starts with the first decrypted byte, after the
     * handshake: without this, a client that trickled its handshake (one byte a second) held its
     * connection, and at the connection cap another client's place, for as long as it liked.
     */
    public static SslConnectionFactory tlsConnectionFactory(SslContextFactory.Server ssl, Duration timeout) {
        return new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()) {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                Connection connection = super.newConnection(connector, endPoint);
                if (connection instanceof SslConnection tls) {
                    handshakeDeadline(connector, endPoint, tls, timeout);
                }
                return connection;
            }
        };
    }

    private static void handshakeDeadline(Connector connector, EndPoint endPoint, SslConnection tls, Duration timeout) {
        AtomicBoolean over = new AtomicBoolean();
        Scheduler.Task deadline = connector.getScheduler().schedule(() -> {
            if (over.compareAndSet(false, true)) {
                LOG.info("closing the connection of {}: its TLS handshake was not done within {}",
                        endPoint.getRemoteSocketAddress(), timeout);
                endPoint.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        Runnable done = () -> {
            if (over.compareAndSet(false, true)) {
                deadline.cancel();
            }
        };
        tls.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                done.run();
            }

            @Override
            public void handshakeFailed(Event event, Throwable failure) {
                done.run();
            }
        });
        tls.addEventListener(new Connection.Listener() {
            @Override
            public void onClosed(Connection closed) {
                done.run();
            }
        });
    }

    /**
     * An HTTP/1.1 connection that closes itself when a request's headers are still incomplete
     * {@code timeout} after their first byte arrived. After each read it looks at the parser:
     * part of a request's headers parsed starts the clock (once per request), anything else (no
     * request begun, or the headers complete) stops it.
     */
    private static final class HeaderDeadline extends HttpConnection {
        private final Duration timeout;
        private final Scheduler scheduler;
        /** Guards {@link #pending}. */
        private final ReentrantLock lock = new ReentrantLock();
        /** The deadline of the headers now arriving, or {@code null} when none are partly read. */
        private Scheduler.Task pending;

        HeaderDeadline(HttpConfiguration config, Connector connector, EndPoint endPoint, Duration timeout) {
            super(config, connector, endPoint);
            this.timeout = timeout;
            this.scheduler = connector.getScheduler();
        }

        @Override
        public void onFillable() {
            super.onFillable();
            lock.lock();
            try {
                if (!headersPartlyRead()) {
                    cancel();
                } else if (pending == null) {
                    pending = scheduler.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onClose(Throwable cause) {
            lock.lock();
            try {
                cancel();
            } finally {
                lock.unlock();
            }
            super.onClose(cause);
        }

        private boolean headersPartlyRead() {
            HttpParser parser = getParser();
            return parser.inHeaderState() && !parser.isStart();
        }

        private void cancel() {
            if (pending != null) {
                pending.cancel();
                pending = null;
            }
        }

        private void expire() {
            lock.lock();
            try {
                if (pending == null || !headersPartlyRead()) {
                    return;
                }
                pending = null;
            } finally {
                lock.unlock();
            }
            LOG.info("closing the connection of {}: its request headers did not arrive within {}",
                    getEndPoint().getRemoteSocketAddress(), timeout);
            getEndPoint().close();
        }
    }
}
