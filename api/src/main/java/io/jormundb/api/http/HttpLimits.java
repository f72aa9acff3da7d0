package io.jormundb.api.http;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the HTTP listener does against too many and too slow clients:
 * <ul>
 *   <li>At most {@code max} connections are open ({@link #limitConnections}). At the cap the
 *   server stops accepting: a new connection waits in the kernel's accept queue (its TCP
 *   handshake done, its request unanswered) until an open one closes, and is refused by the
 *   kernel only once that queue is full. Meanwhile idle connections are closed after
 *   {@link #IDLE_AT_CAP} instead of the usual idle timeout, so that waiting clients get in.</li>
 *   <li>A request's headers must all arrive within the header deadline of their first byte
 *   ({@link #connectionFactory}): a client that trickles them (one byte a second) is cut off, its
 *   connection closed, whatever the idle timeout (which each byte would restart).</li>
 * </ul>
 * The body's own deadline is the reader's (see {@code JormunServer}).
 */
public final class HttpLimits {
    /** The idle timeout of connections while the connection cap is reached. */
    public static final Duration IDLE_AT_CAP = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(HttpLimits.class);

    private HttpLimits() {
    }

    /** Caps the connections of {@code connector} at {@code max}. */
    public static void limitConnections(Server server, Connector connector, int max) {
        NetworkConnectionLimit limit = new NetworkConnectionLimit(max, connector);
        limit.setEndPointIdleTimeout(IDLE_AT_CAP.toMillis());
        server.addBean(limit);
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
