package io.jormundb.api.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MQTT 3.1.1 written by hand on a plain socket, for what real clients never send: a second
 * CONNECT, a will under the server's topics, bytes that are not MQTT, nothing at all, a CONNECT
 * and a SUBSCRIBE in one write.
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
        return send(connectPacket(clientId, willTopic, true));
    }

    /** A CONNECT (keep alive 60 s) with a QoS 0 will on {@code willTopic} unless null. */
    static byte[] connectPacket(String clientId, String willTopic, boolean cleanSession) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);                                   // protocol level 3.1.1
        body.write((cleanSession ? 0x02 : 0) | (willTopic == null ? 0 : 0x04));
        body.write(0);
        body.write(60);                                  // keep alive
        writeString(body, clientId);
        if (willTopic != null) {
            writeString(body, willTopic);
            writeString(body, "{\"fake\":true}");
        }
        return packet(0x10, body);
    }

    /** A CONNECT (clean session, keep alive 60 s) with a user name and password. */
    static byte[] connectPacket(String clientId, String user, String password) {
        return loginPacket("MQTT", 4, clientId, user, password);
    }

    /** An MQTT 3.1 CONNECT (protocol MQIsdp, level 3; clean session, keep alive 60 s) with a user name and password. */
    static byte[] connect31Packet(String clientId, String user, String password) {
        return loginPacket("MQIsdp", 3, clientId, user, password);
    }

    private static byte[] loginPacket(String protocol, int level, String clientId, String user, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, protocol);
        body.write(level);
        body.write(0x80 | 0x40 | 0x02);
        body.write(0);
        body.write(60);
        writeString(body, clientId);
        writeString(body, user);
        writeString(body, password);
        return packet(0x10, body);
    }

    /** A SUBSCRIBE with packet id {@code packetId} to {@code filter} at QoS 1. */
    static byte[] subscribePacket(int packetId, String filter) {
        return subscribePacket(packetId, filter, 1);
    }

    /** A SUBSCRIBE with packet id {@code packetId} to {@code filter} at QoS {@code qos}. */
    static byte[] subscribePacket(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        writeString(body, filter);
        body.write(qos);
        return packet(0x82, body);
    }

    private static byte[] packet(int first, ByteArrayOutputStream body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(first);
        packet.write(body.size()); // under 128 bytes: one length byte
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** Reads the next packet whole and returns it. */
    byte[] packet() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(in.readUnsignedByte());
            int remaining = 0;
            for (int shift = 0, b = 0x80; (b & 0x80) != 0; shift += 7) {
                b = in.readUnsignedByte();
                packet.write(b);
                remaining |= (b & 0x7F) << shift;
            }
            packet.writeBytes(in.readNBytes(remaining));
            return packet.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PUBLISH the server sent: its topic, packet id (0 at QoS 0) and DUP flag. */
    record Publish(String topic, int packetId, boolean duplicate) {
    }

    /** Reads the next packet, which must be a PUBLISH. */
    Publish publish() {
        byte[] p = packet();
        assertEquals(3, (p[0] & 0xFF) >> 4, "a PUBLISH");
        int at = 1;
        while ((p[at] & 0x80) != 0) {
            at++;
        }
        at++;
        int topicLength = ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
        String topic = new String(p, at + 2, topicLength, StandardCharsets.UTF_8);
        int qos = (p[0] >> 1) & 3;
        int id = qos == 0 ? 0 : ((p[at + 2 + topicLength] & 0xFF) << 8) | (p[at + 3 + topicLength] & 0xFF);
        return new Publish(topic, id, (p[0] & 0x08) != 0);
    }

    /** A PUBLISH (QoS 1 or 2 with {@code packetId}) of {@code payload} to {@code topic}. */
    static byte[] publishPacket(int qos, String topic, int packetId, String payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | (qos << 1), body);
    }

    /** A PUBACK of {@code packetId}. */
    static byte[] pubackPacket(int packetId) {
        return new byte[] {0x40, 2, (byte) (packetId >> 8), (byte) packetId};
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
