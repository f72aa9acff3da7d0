package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client may send right behind its CONNECT. Moquette 0.17 marks a connection connected only in
 * a listener of its CONNACK write, which Netty may run later; a packet read before that was
 * dropped with the connection ("SUBSCRIBE received on already closed connection"), so a quick
 * client lost its subscription now and then. A CONNECT and a SUBSCRIBE in one TCP write hit that
 * every time; the guard now holds what follows the CONNECT until Moquette took the connection.
 */
class MqttConnectRaceTest {
    private static final String SUBACK_QOS_1 = "90 03 00 07 01";
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static int mqttPort;
    private static TestServer server;

    @BeforeAll
    static void start() {
        mqttPort = FreePort.find();
        server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
        Orders.create(server.client());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSubscribeInTheSameWriteAsTheConnectIsGrantedAndItsChangesArrive() {
        for (int i = 0; i < 20; i++) {
            boolean clean = i % 2 == 0;
            try (RawMqtt client = RawMqtt.open(mqttPort)) {
                client.send(concat(RawMqtt.connectPacket("quick-" + i, null, clean),
                        RawMqtt.subscribePacket(7, "jormundb/Orders/race-" + i + "/#")));
                assertEquals(0, client.connack(), "CONNACK accepted");
                assertEquals(SUBACK_QOS_1, HEX.formatHex(client.packet()), "round " + i + ", clean session " + clean);
                Orders.put(server.client(), "race-" + i, "o");
                byte[] publish = client.packet();
                assertEquals(0x32, publish[0] & 0xFF, "a QoS 1 PUBLISH");
            }
        }
    }

    @Test
    void aClientWithoutAnIdGetsOneAndMayAlsoSendRightBehindItsConnect() {
        try (RawMqtt client = RawMqtt.open(mqttPort)) {
            client.send(concat(RawMqtt.connectPacket("", null, true),
                    RawMqtt.subscribePacket(7, "jormundb/Orders/anonymous/#")));
            assertEquals(0, client.connack(), "CONNACK accepted");
            assertEquals(SUBACK_QOS_1, HEX.formatHex(client.packet()));
        }
    }

    @Test
    void aClientWithoutAnIdIsRefusedAPersistentSession() {
        try (RawMqtt client = RawMqtt.open(mqttPort)) {
            assertEquals(2, client.send(RawMqtt.connectPacket("", null, false)).connack(), "CONNACK identifier rejected");
            assertTrue(client.closedByServer());
        }
    }

    /**
     * A client id connecting on two connections at once, one with a clean session and one with a
     * persistent one: whichever Moquette takes last decides whether a session remains, and the
     * server's persistent sessions (what RocksDB keeps and what it owes) must agree. They saw the
     * two in an order of their own, and Moquette mishandled a persistent CONNECT taking over a clean
     * session; the two disagreed in most rounds.
     */
    @Test
    void cleanAndPersistentConnectionsOfOneClientIdAtOnceLeaveTheServerAndTheBrokerAgreeing() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 20; i++) {
                String clientId = "twice-" + i;
                CyclicBarrier together = new CyclicBarrier(2);
                try (RawMqtt persistent = RawMqtt.open(mqttPort); RawMqtt clean = RawMqtt.open(mqttPort)) {
                    Future<?> a = threads.submit(() -> send(together, persistent, RawMqtt.connectPacket(clientId, null, false)));
                    Future<?> b = threads.submit(() -> send(together, clean, RawMqtt.connectPacket(clientId, null, true)));
                    a.get(10, TimeUnit.SECONDS);
                    b.get(10, TimeUnit.SECONDS);
                    assertEquals(0, persistent.connack(), "round " + i);
                    assertEquals(0, clean.connack(), "round " + i);
                }
                String before = sessions();
                try (RawMqtt again = RawMqtt.open(mqttPort)) {
                    byte[] connack = again.send(RawMqtt.connectPacket(clientId, null, false)).packet();
                    boolean brokerHadIt = (connack[2] & 1) == 1;
                    boolean serverHadIt = sessions().equals(before);
                    assertEquals(brokerHadIt, serverHadIt, "round " + i + ": the broker's session present against the "
                            + "server's persistent sessions (" + before + " before this connection)");
                }
                try (RawMqtt cleanUp = RawMqtt.open(mqttPort)) {
                    assertEquals(0, cleanUp.send(RawMqtt.connectPacket(clientId, null, true)).connack());
                }
            }
        }
    }

    /**
     * A persistent CONNECT right after a clean connection of its client id dropped (no DISCONNECT):
     * the guard forgets the clean connection as its socket closes, Moquette a moment later, and a
     * persistent CONNECT in that moment met the clean session in Moquette, which reopened it
     * ("session present") and dropped it at the next disconnect (12 of 100 rounds on the code before).
     */
    @Test
    void aPersistentConnectRightAfterACleanConnectionOfItsIdDroppedStartsANewSessionThatStays() {
        for (int i = 0; i < 50; i++) {
            String clientId = "after-clean-" + i;
            try (RawMqtt persistent = RawMqtt.open(mqttPort)) {
                try (RawMqtt clean = RawMqtt.open(mqttPort)) {
                    assertEquals(0, clean.send(RawMqtt.connectPacket(clientId, null, true)).connack());
                }
                byte[] connack = persistent.send(RawMqtt.connectPacket(clientId, null, false)).packet();
                assertEquals(0, connack[2] & 1, "round " + i + ": a clean session's state does not carry over");
            }
            try (RawMqtt back = RawMqtt.open(mqttPort)) {
                byte[] connack = back.send(RawMqtt.connectPacket(clientId, null, false)).packet();
                assertEquals(1, connack[2] & 1, "round " + i + ": the persistent session outlived its connection");
            }
            try (RawMqtt cleanUp = RawMqtt.open(mqttPort)) {
                assertEquals(0, cleanUp.send(RawMqtt.connectPacket(clientId, null, true)).connack());
            }
        }
    }

    private static Object send(CyclicBarrier together, RawMqtt client, byte[] packet) throws Exception {
        together.await(10, TimeUnit.SECONDS);
        client.send(packet);
        return null;
    }

    private static String sessions() throws Exception {
        return MqttPersistentSessionsTest.metric(server.endpoint(), "jormundb_mqtt_persistent_sessions");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
