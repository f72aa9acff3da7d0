package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jormundb.api.HeadlessChromium;
import io.jormundb.api.Metrics;
import io.jormundb.api.Npm;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A browser subscribes over MQTT over WebSockets: a page in headless Chromium with MQTT.js
 * (the browser bundle of the {@code mqtt} npm package, installed into {@code target/} at the
 * first run) connects to {@code ws://…/mqtt}, subscribes to {@code jormundb/#} and shows every
 * change written through the SDK. Skipped where Chromium or npm is not installed.
 */
class MqttBrowserTest {
    private static final String MQTT_JS_VERSION = "5.16.0";
    private static final Path NPM_PREFIX = Path.of("target", "mqtt-js");
    private static final Path MQTT_JS = NPM_PREFIX.resolve(Path.of("node_modules", "mqtt", "dist", "mqtt.min.js"));
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HeadlessChromium chromium;

    @TempDir
    Path pageDir;

    @BeforeAll
    static void openBrowserAndInstallMqttJs() throws Exception {
        chromium = HeadlessChromium.start();
        if (!Files.isRegularFile(MQTT_JS)) {
            Npm.install(NPM_PREFIX, "mqtt@" + MQTT_JS_VERSION);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aBrowserWithMqttJsReceivesChangesOverWebSockets() throws Exception {
        int mqttPort = FreePort.find();
        int wsPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort).with(b -> b.mqttWsPort(wsPort)))) {
            Orders.create(server.client());
            ChromeDriver browser = chromium.driver();
            browser.get(page().toUri() + "?url=ws://127.0.0.1:" + wsPort + "/mqtt");
            new WebDriverWait(browser, WAIT).withMessage(() -> "status: " + text(browser, "status"))
                    .until(d -> text(browser, "status").equals("subscribed"));

            Orders.put(server.client(), "c1", "o1");
            Orders.put(server.client(), "c2", "o2");
            new WebDriverWait(browser, WAIT).withMessage(() -> "messages: " + messages(browser).stream()
                            .map(m -> m.getDomAttribute("data-topic")).toList())
                    .until(d -> messages(browser).size() == 2);
            List<WebElement> shown = messages(browser);
            assertEquals(List.of("jormundb/Orders/c1/o1", "jormundb/Orders/c2/o2"),
                    shown.stream().map(m -> m.getDomAttribute("data-topic")).sorted().toList());
            JsonNode first = JSON.readTree(shown.stream()
                    .filter(m -> "jormundb/Orders/c1/o1".equals(m.getDomAttribute("data-topic")))
                    .findFirst().orElseThrow().getText());
            assertEquals("INSERT", first.get("eventName").asText());
            assertEquals("c1", first.at("/dynamodb/Keys/customer/S").asText());
        }
    }

    /**
     * MQTT.js ending its client from a message handler sends its DISCONNECT before that message's
     * PUBACK (seen on the wire). Moquette 0.17 released the clean session's in-flight message at
     * the DISCONNECT and again at the PUBACK, and the session event loop that runs both died of
     * it: the other clients there got nothing more, a new one no CONNACK, and the publisher's lag
     * stuck. Client ids of one String hash put the three on one event loop.
     */
    @Test
    void aBrowserThatEndsItsClientOnAMessageCostsTheOtherClientsNothing() throws Exception {
        int mqttPort = FreePort.find();
        int wsPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort).with(b -> b.mqttWsPort(wsPort)));
             Subscriber neighbour = Subscriber.withId(mqttPort, "BBBB")) {
            Orders.create(server.client());
            neighbour.connect(true, null, null);
            neighbour.subscribeTo("jormundb/#");
            ChromeDriver browser = chromium.driver();
            browser.get(page().toUri() + "?url=ws://127.0.0.1:" + wsPort + "/mqtt&clientId=AaAa&endOnMessage=1");
            new WebDriverWait(browser, WAIT).withMessage(() -> "status: " + text(browser, "status"))
                    .until(d -> text(browser, "status").equals("subscribed"));

            Orders.put(server.client(), "c1", "o1");
            new WebDriverWait(browser, WAIT).withMessage(() -> "status: " + text(browser, "status"))
                    .until(d -> text(browser, "status").equals("ended"));
            Orders.put(server.client(), "c2", "o2");
            Orders.put(server.client(), "c3", "o3");
            await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("jormundb/Orders/c1/o1",
                    "jormundb/Orders/c2/o2", "jormundb/Orders/c3/o3"), neighbour.received().stream()
                    .map(Subscriber.Message::topic).toList()));
            try (Subscriber latecomer = Subscriber.withId(mqttPort, "AaBB")) {
                latecomer.connect(true, null, null);
            }
            await().atMost(WAIT).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}") == 0);
        }
    }

    /**
     * The page: MQTT.js from {@code target/}, subscribing to {@code jormundb/#} at the {@code url}
     * parameter, with client id {@code clientId} if given, ending the client at its first message
     * with {@code endOnMessage}.
     */
    private Path page() throws IOException {
        Path page = pageDir.resolve("mqtt.html");
        Files.writeString(page, """
                <!doctype html>
                <meta charset="utf-8">
                <p id="status">connecting</p>
                <ul id="messages"></ul>
                <script src="%s"></script>
                <script>
                  const status = document.getElementById('status');
                  const params = new URLSearchParams(location.search);
                  const options = {reconnectPeriod: 500};
                  if (params.get('clientId')) {
                    options.clientId = params.get('clientId');
                  }
                  const client = mqtt.connect(params.get('url'), options);
                  client.on('connect', () => client.subscribe('jormundb/#', {qos: 1},
                      err => status.textContent = err ? 'subscribe failed: ' + err.message : 'subscribed'));
                  client.on('error', err => status.textContent = 'error: ' + err.message);
                  client.on('message', (topic, payload) => {
                    const li = document.createElement('li');
                    li.dataset.topic = topic;
                    li.textContent = new TextDecoder().decode(payload);
                    document.getElementById('messages').append(li);
                    if (params.get('endOnMessage')) {
                      client.end(() => status.textContent = 'ended');
                    }
                  });
                </script>
                """.formatted(MQTT_JS.toAbsolutePath().toUri()), StandardCharsets.UTF_8);
        return page;
    }

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static List<WebElement> messages(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#messages li"));
    }
}
