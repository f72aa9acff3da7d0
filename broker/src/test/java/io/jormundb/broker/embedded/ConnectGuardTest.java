package io.jormundb.broker.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectGuardTest {
    @Test
    void aWillUnderTheServersTopicsIsRefused() {
        assertEquals(ConnectGuard.Verdict.REFUSED, inspect(connect(4, "c", "jormundb/Orders/c1/o1")));
        assertEquals(ConnectGuard.Verdict.REFUSED, inspect(connect(4, "c", "jormundb")));
    }

    @Test
    void aWillElsewhereOrNoWillIsAllowed() {
        assertEquals(ConnectGuard.Verdict.ALLOWED, inspect(connect(4, "c", "app/will")));
        assertEquals(ConnectGuard.Verdict.ALLOWED, inspect(connect(4, "c", "jormundbx/a")));
        assertEquals(ConnectGuard.Verdict.ALLOWED, inspect(connect(4, "c", null)));
    }

    @Test
    void aPartialConnectWaitsForTheRest() {
        byte[] whole = connect(4, "client", "jormundb/x");
        for (int n = 0; n < whole.length; n++) {
            byte[] part = java.util.Arrays.copyOf(whole, n);
            assertEquals(ConnectGuard.Verdict.INCOMPLETE, inspect(part), "first " + n + " bytes");
        }
    }

    @Test
    void whatIsNotAnMqtt3ConnectIsLeftToTheBroker() {
        assertEquals(ConnectGuard.Verdict.ALLOWED, inspect(new byte[] {(byte) 0xC0, 0x00}));
        assertEquals(ConnectGuard.Verdict.ALLOWED, inspect(connect(5, "c", "jormundb/x")));
    }

    private static ConnectGuard.Verdict inspect(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return ConnectGuard.inspect(buf);
        } finally {
            buf.release();
        }
    }

    /** An MQTT CONNECT of protocol {@code level}, with a QoS 0 will on {@code willTopic} unless null. */
    private static byte[] connect(int level, String clientId, String willTopic) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(level);
        body.write(0x02 | (willTopic == null ? 0 : 0x04));
        body.write(0);
        body.write(30);
        string(body, clientId);
        if (willTopic != null) {
            string(body, willTopic);
            string(body, "bye");
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
