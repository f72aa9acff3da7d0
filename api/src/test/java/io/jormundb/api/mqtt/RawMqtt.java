package io.jormundb.api.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MQTT 3.1.1 written by hand on a plain socket, for what real clients never send: a second
 * CONNECT, a will under the server's topics, bytes that are not MQTT, nothing at all.
 */
final class RawMqtt implements AutoCloseable {
    private final Socket socket;

    private RawMqtt(Socket socket) {
        this.socket = socket;
    }

    static RawMqtt open(int port) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            return new RawMqtt(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a CONNECT (clean session, keep alive 60 s) with a QoS 0 will on {@code willTopic} unless null. */
    RawMqtt connect(String clientId, String willTopic) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);                                   // protocol level 3.1.1
        body.write(willTopic == null ? 0x02 : 0x06);     // clean session, will flag
        body.write(0);
        body.write(60);                                  // keep alive
        writeString(body, clientId);
        if (willTopic != null) {
            writeString(body, willTopic);
            writeString(body, "{\"fake\":true}");
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size()); // under 128 bytes: one length byte
        packet.writeBytes(body.toByteArray());
        return send(packet.toByteArray());
    }

    RawMqtt send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a CONNACK and returns its return code. */
    int connack() {
        try {
            byte[] connack = socket.getInputStream().readNBytes(4);
            assertEquals(4, connack.length, "a CONNACK");
            assertEquals(0x20, connack[0] & 0xFF, "a CONNACK");
            return connack[3];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server closed the connection (within the socket's 10 s read timeout), reading nothing more. */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
