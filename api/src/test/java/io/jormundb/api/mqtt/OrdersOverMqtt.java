package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** For each test a fresh server with the embedded MQTT broker on {@link #mqttPort} and the {@link Orders} table. */
abstract class OrdersOverMqtt {
    TestServer server;
    int mqttPort;

    @BeforeEach
    void startServer() {
        mqttPort = FreePort.find();
        server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
        Orders.create(server.client());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
