package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A reconnect stampede (or a fan-out benchmark's connect phase): every client that connects gets
 * its session, promptly. Each connection passes the guard, which opens one to Moquette per client;
 * the accept backlogs of both are sized for thousands at once.
 */
class MqttConnectBurstTest {
    private static final int CLIENTS = 1_000;

    @Test
    void aThousandClientsConnectingAtOnceAllGetConnackWithinSeconds() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort))) {
            List<RawMqtt> clients = new ArrayList<>();
            try {
                List<Integer> codes = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> connectAll(mqttPort, clients));
                assertEquals(List.of(0), codes.stream().distinct().toList(), "every CONNACK accepted");
                assertEquals(CLIENTS, codes.size());
            } finally {
                clients.forEach(RawMqtt::close);
            }
        }
    }

    /** Connects {@link #CLIENTS} raw clients at once (clean session, ids of their own); their CONNACK codes. */
    private static List<Integer> connectAll(int port, List<RawMqtt> clients) throws Exception {
        List<Future<RawMqtt>> opened = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CLIENTS; i++) {
                String id = "burst-" + i;
                opened.add(threads.submit(() -> RawMqtt.open(port).connect(id, null)));
            }
            for (Future<RawMqtt> f : opened) {
                clients.add(f.get());
            }
        }
        List<Integer> codes = new ArrayList<>();
        for (RawMqtt client : clients) {
            codes.add(client.connack());
        }
        return codes;
    }
}
