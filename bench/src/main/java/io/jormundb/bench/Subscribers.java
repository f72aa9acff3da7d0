package io.jormundb.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import org.HdrHistogram.Recorder;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribers that measure write-to-delivery: each change the harness writes carries the
 * {@code System.nanoTime()} of its send in attribute {@code t}; a subscriber records now − t (µs)
 * for every change it receives. SSE subscribers are raw sockets read by a virtual thread each
 * (cheap enough for thousands); MQTT subscribers are hivemq-mqtt-client connections (QoS 1).
 */
final class Subscribers {
    private static final byte[] MARK = "\"t\":{\"N\":\"".getBytes(StandardCharsets.US_ASCII);

    /** Where every subscriber of one run records. */
    static final class Tally {
        final Recorder latency = new Recorder(60_000_000L, 3);
        final AtomicLong delivered = new AtomicLong();
        /** Changes a subscriber got again (MQTT at least once); not in {@link #delivered}. */
        final AtomicLong duplicates = new AtomicLong();

        void record(long sentNanos) {
            latency.recordValue(Math.min(Math.max(0, (System.nanoTime() - sentNanos) / 1000), 59_000_000L));
            delivered.incrementAndGet();
        }
    }

    private Subscribers() {
    }

    /** One SSE subscriber of {@code path}; returns once the response started. Closes with its socket. */
    static Socket sse(URI endpoint, String path, Tally tally) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        String status = line(in);
        if (!status.contains(" 200 ")) {
            socket.close();
            throw new IOException("SSE subscription refused: " + status);
        }
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            chunked |= header.equalsIgnoreCase("Transfer-Encoding: chunked");
        }
        boolean isChunked = chunked;
        Thread.ofVirtual().start(() -> read(in, isChunked, tally));
        return socket;
    }

    /** Scans the body (de-chunked) for {@code "t":{"N":"<nanos>"}} marks: one per change received. */
    private static void read(InputStream in, boolean chunked, Tally tally) {
        Scanner scanner = new Scanner(tally);
        try {
            if (!chunked) {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    scanner.accept(b);
                }
                return;
            }
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                for (int i = 0; i < size; i++) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    scanner.accept(b);
                }
                line(in);
            }
        } catch (IOException | RuntimeException closed) {
            // The harness closes its subscribers at the end of a run.
        }
    }

    /** Finds the marks byte by byte, across chunk boundaries. */
    private static final class Scanner {
        private final Tally tally;
        private int matched;
        private long value;
        private boolean inValue;

        Scanner(Tally tally) {
            this.tally = tally;
        }

        void accept(int b) {
            if (inValue) {
                if (b >= '0' && b <= '9') {
                    value = value * 10 + (b - '0');
                    return;
                }
                tally.record(value);
                inValue = false;
                value = 0;
            }
            matched = b == MARK[matched] ? matched + 1 : (b == MARK[0] ? 1 : 0);
            if (matched == MARK.length) {
                inValue = true;
                matched = 0;
            }
        }
    }

    /** One MQTT subscriber of {@code filter} at {@code qos}; retries the connect a few times, as real clients do. */
    static Mqtt3AsyncClient mqtt(int port, String id, String filter, Tally tally, boolean cleanSession,
                                  MqttQos qos) {
        // A change is known by its topic, which names the item: every write of the harness puts an
        // item of its own, so a second copy is a duplicate. (Not by the send time it carries: two
        // writer threads may read the same System.nanoTime().)
        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (int attempt = 1; ; attempt++) {
            Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(id)
                    .serverHost("127.0.0.1").serverPort(port).buildAsync();
            try {
                client.connectWith().cleanSession(cleanSession).send().orTimeout(30, TimeUnit.SECONDS).join();
                client.subscribeWith().topicFilter(filter).qos(qos)
                        .callback(publish -> {
                            if (seen.add(publish.getTopic().toString())) {
                                tally.record(sentNanos(publish.getPayloadAsBytes()));
                            } else {
                                tally.duplicates.incrementAndGet();
                            }
                        })
                        .send().orTimeout(30, TimeUnit.SECONDS).join();
                return client;
            } catch (RuntimeException e) {
                client.disconnect();
                if (attempt == 5) {
                    throw e;
                }
                Pause.millis(200L * attempt);
            }
        }
    }

    private static long sentNanos(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        int at = text.indexOf("\"t\":{\"N\":\"") + MARK.length;
        int end = text.indexOf('"', at);
        return Long.parseLong(text.substring(at, end));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
