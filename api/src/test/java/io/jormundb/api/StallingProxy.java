package io.jormundb.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP relay to one port that can stall: while paused it keeps every connection open and passes
 * nothing either way, as a frozen proxy or a half-open connection does. It can also pass bytes
 * slowly, as a thin link does.
 */
public final class StallingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Open while passing; a closed latch while paused. */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile int bytesPerTick;

    public StallingProxy(int target) {
        this.target = target;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public void pause() {
        gate = new CountDownLatch(1);
    }

    public void resume() {
        gate.countDown();
    }

    /** Closes every connection open now, as a network that drops them does; new ones are relayed as before. */
    public void dropConnections() {
        List<Socket> open = List.copyOf(sockets);
        sockets.removeAll(open);
        open.forEach(StallingProxy::closeQuietly);
    }

    /** Passes at most {@code bytes} a tenth of a second each way from now on ({@code 0}: as fast as it can). */
    public void limit(int bytes) {
        bytesPerTick = bytes;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket("127.0.0.1", target);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> relay(client, upstream));
                Thread.ofVirtual().start(() -> relay(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int thisTick = 0;
            while (true) {
                int limit = bytesPerTick;
                int n = in.read(buffer, 0, limit == 0 ? buffer.length
                        : Math.max(1, Math.min(buffer.length, limit - thisTick)));
                if (n < 0) {
                    break;
                }
                gate.await();
                out.write(buffer, 0, n);
                out.flush();
                thisTick += n;
                if (limit != 0 && thisTick >= limit) {
                    Thread.sleep(100); // the link's pace, not a wait for something to happen
                    thisTick = 0;
                }
            }
        } catch (IOException | InterruptedException e) {
            // One side went away: so does the other.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        resume();
        try {
            server.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        sockets.forEach(StallingProxy::closeQuietly);
    }
}
