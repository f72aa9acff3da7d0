package io.jormundb.api.auth;

import io.jormundb.api.FreePort;
import io.jormundb.api.HeadlessChromium;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;

/**
 * A presigned feed URL, as a backend makes it with the SDK's signer and hands to a browser, opened
 * by a real headless Chromium: the console's EventSource follows it, and after the server was
 * away it reconnects to the same URL with Last-Event-ID and gets what was written meanwhile. An
 * expired URL is refused and the page says why.
 */
class PresignedFeedBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    private final AtomicInteger port = new AtomicInteger(FreePort.find());
    private TestServer server;

    @BeforeAll
    static void openBrowser() {
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theConsoleFollowsAPresignedFeedUrlAndResumesThroughItAfterTheServerWasAway() {
        server = TestServer.start(c -> Keys.withAuth(c).withPort(port.get()));
        createTable(server.client(), "Orders");
        URI feed = new SdkSigner(Keys.ORDERS.id(), Keys.ORDERS.secret())
                .presign(server.endpoint().resolve("/changes/Orders?since=now"), Duration.ofHours(1));
        openConsole(feed);
        awaitState("live");
        server.client().putItem(r -> r.tableName("Orders").item(item("id", s("o1"))));
        awaitEvents(List.of("id=o1"));

        int pagePort = port.get();
        port.set(FreePort.find());
        server.restart();
        awaitState("reconnecting");
        server.client().putItem(r -> r.tableName("Orders").item(item("id", s("o2"))));
        port.set(pagePort);
        server.restart();

        awaitEvents(List.of("id=o2", "id=o1"));
        awaitState("live");
    }

    @Test
    void anExpiredPresignedUrlIsRefusedAndTheConsoleSaysWhy() {
        server = TestServer.start(c -> Keys.withAuth(c).withPort(port.get()));
        createTable(server.client(), "Orders");
        URI feed = new SdkSigner(Keys.ORDERS.id(), Keys.ORDERS.secret())
                .clock(Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC))
                .presign(server.endpoint().resolve("/changes/Orders"), Duration.ofHours(1));
        openConsole(feed);
        awaitState("closed");
        new WebDriverWait(browser, WAIT).withMessage(() -> "notices: " + notices()).until(d -> notices().stream()
                .anyMatch(n -> n.startsWith("AccessDeniedException: Request has expired")));
    }

    private void openConsole(URI presignedFeed) {
        String pathAndQuery = presignedFeed.getRawPath() + "?" + presignedFeed.getRawQuery();
        browser.get(server.endpoint() + "/console?feed=" + URLEncoder.encode(pathAndQuery, StandardCharsets.UTF_8));
    }

    private static List<String> notices() {
        return browser.findElements(By.cssSelector("#events li.notice")).stream().map(WebElement::getText).toList();
    }

    private static void awaitEvents(List<String> keys) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "events shown: " + shownKeys())
                .until(d -> shownKeys().equals(keys));
    }

    private static List<String> shownKeys() {
        return browser.findElements(By.cssSelector("#events li.event")).stream()
                .map(e -> e.getDomAttribute("data-keys")).toList();
    }

    private static void awaitState(String state) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "state: " + browser.findElement(By.id("state")).getText())
                .until(d -> d.findElement(By.id("state")).getText().equals(state));
    }
}
