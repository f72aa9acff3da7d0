package io.jormundb.api.sse;

import io.jormundb.api.FreePort;
import io.jormundb.api.HeadlessChromium;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console ({@code GET /console}) and the browser sample in a real headless Chromium: a write
 * made through the SDK shows up on the page, and after the server restarts the page's
 * EventSource resumes by itself (Last-Event-ID) with the changes written while it was away.
 *
 * <p>To be "away" for certain, the server restarts on a second port while the page keeps
 * knocking on the first; the changes are written there, then the server comes back on the
 * first port.
 */
class ConsoleBrowserTest {
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
    void aWriteThroughTheSdkAppearsOnTheConsoleOfItsTable() throws IOException {
        startServer();
        createTable(server.client(), "Orders", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        createTable(server.client(), "Users", "pk", ScalarAttributeType.S);
        Tables.put(server.client(), "Orders", "order-1", 1, "before");
        chromium.consoleErrors(); // what earlier tests' pages logged
        openConsole("Orders");

        Tables.put(server.client(), "Users", "someone", "other-table");
        Tables.put(server.client(), "Orders", "order-42", 7, "shown");
        Tables.put(server.client(), "Orders", "order-42", 7, "shown-again");
        awaitEvents(List.of("pk=order-42 · sk=7", "pk=order-42 · sk=7"));
        WebElement newest = browser.findElements(By.cssSelector("#events li.event")).getFirst();
        assertEquals("MODIFY", newest.findElement(By.className("name")).getText());
        assertEquals("Orders", newest.getDomAttribute("data-table"));
        assertEquals(List.of("{\"pk\":\"order-42\",\"sk\":7,\"w\":\"shown\"}",
                        "{\"pk\":\"order-42\",\"sk\":7,\"w\":\"shown-again\"}"),
                newest.findElements(By.cssSelector(".image .json")).stream().map(WebElement::getText).toList(),
                "old image, then new image");
        assertNotEquals("—", browser.findElement(By.id("token")).getText());
        assertEquals(List.of(), chromium.consoleErrors(), "the console page loads and runs without an error");
        screenshot("console.png");
    }

    @Test
    void afterARestartTheConsoleShowsTheChangesWrittenWhileItWasAway() {
        startServer();
        createTable(server.client(), "Users", "pk", ScalarAttributeType.S);
        openConsole("Users");
        Tables.put(server.client(), "Users", "u1", "before-restart");
        awaitEvents(List.of("pk=u1"));

        writeWhileAway(() -> {
            Tables.put(server.client(), "Users", "u2", "while-away");
            Tables.put(server.client(), "Users", "u1", "changed-while-away");
        });

        awaitEvents(List.of("pk=u1", "pk=u2", "pk=u1"));
        assertEquals("before-restart", browser.findElements(By.cssSelector("#events li.event .json")).getLast()
                .getText().replaceAll(".*\"w\":\"([^\"]*)\".*", "$1"), "the event from before the restart stays the oldest");
        awaitState("live");
        screenshot("console-after-restart.png");
    }

    @Test
    void aConsoleThatHadNoEventYetStillResumesFromWhereItOpened() {
        startServer();
        createTable(server.client(), "Users", "pk", ScalarAttributeType.S);
        openConsole("");
        writeWhileAway(() -> Tables.put(server.client(), "Users", "u1", "while-away"));
        awaitEvents(List.of("pk=u1"));
    }

    @Test
    void theBrowserSampleOpenedFromDiskFollowsChangesAcrossARestart() {
        startServer();
        createTable(server.client(), "Notes", "pk", ScalarAttributeType.S);
        Path sample = Path.of("..", "samples", "browser", "index.html").toAbsolutePath().normalize();
        browser.get(sample.toUri() + "?server=" + server.endpoint() + "&table=Notes");
        awaitText(By.id("status"), "live");
        Tables.put(server.client(), "Notes", "o1", "first");
        awaitSampleRows(List.of("INSERT Notes {\"pk\":{\"S\":\"o1\"}}"));
        String first = browser.findElement(By.cssSelector("#events li")).getText();
        assertTrue(first.contains("\"w\":{\"S\":\"first\"}"), first);

        writeWhileAway(() -> awaitText(By.id("status"), "reconnecting…"),
                () -> Tables.put(server.client(), "Notes", "o2", "while-away"));
        awaitSampleRows(List.of("INSERT Notes {\"pk\":{\"S\":\"o2\"}}", "INSERT Notes {\"pk\":{\"S\":\"o1\"}}"));
        awaitText(By.id("status"), "live");
    }

    @Test
    void theConsoleReplaysTheOldestChangesKeptInCommitOrderNewestAtTop() {
        startServer();
        createTable(server.client(), "Orders", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        createTable(server.client(), "Users", "pk", ScalarAttributeType.S);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            if (i % 3 == 0) {
                Tables.put(server.client(), "Users", "u" + i, "w" + i);
                written.add("pk=u" + i);
            } else {
                Tables.put(server.client(), "Orders", "o" + i, i, "w" + i);
                written.add("pk=o" + i + " · sk=" + i);
            }
        }
        browser.get(server.endpoint() + "/console?since=trim_horizon");
        awaitState("live");
        awaitEvents(written.reversed());
        List<String> positions = browser.findElements(By.cssSelector("#events li.event")).stream()
                .map(e -> e.getDomAttribute("data-position")).toList();
        assertEquals(positions.stream().sorted(Comparator.comparingLong(p -> -Long.parseLong(p.split("\\.")[0])))
                .toList(), positions, "newest at top");
    }

    @Test
    void anEventSourceOnEveryOneOfAThousandTablesResumesThroughLastEventId() {
        startServer();
        int tables = 1000;
        for (int i = 0; i < tables; i++) {
            String name = String.format("Table%04d", i);
            createTable(server.client(), name, "pk", ScalarAttributeType.S);
            Tables.put(server.client(), name, "k", "before-" + i);
        }
        openConsole("");
        Tables.put(server.client(), "Table0000", "k", "live");
        awaitEvents(List.of("pk=k"));
        String token = browser.findElement(By.id("token")).getText();
        assertTrue(token.length() <= 64, token);

        writeWhileAway(() -> {
            Tables.put(server.client(), "Table0999", "k", "while-away-1");
            Tables.put(server.client(), "Table0500", "k", "while-away-2");
        });
        awaitEvents(List.of("pk=k", "pk=k", "pk=k"));
        List<String> tablesShown = browser.findElements(By.cssSelector("#events li.event")).stream()
                .map(e -> e.getDomAttribute("data-table")).toList();
        assertEquals(List.of("Table0500", "Table0999", "Table0000"), tablesShown, "resumed with nothing lost or twice");
        assertTrue(browser.findElement(By.id("token")).getText().length() <= 64);
        awaitState("live");
    }

    private void startServer() {
        server = TestServer.start(cfg -> cfg.withPort(port.get()));
    }

    /** Opens the console and picks {@code table} ("" for all tables) from the list it loaded. */
    private void openConsole(String table) {
        browser.get(server.endpoint() + "/console");
        new WebDriverWait(browser, WAIT).until(d -> table.isEmpty()
                || d.findElements(By.cssSelector("#table option[value='" + table + "']")).size() == 1);
        if (!table.isEmpty()) {
            new Select(browser.findElement(By.id("table"))).selectByValue(table);
        }
        awaitState("live");
    }

    /**
     * Restarts the server on another port (the page loses its connection and keeps trying the
     * old one), runs {@code writes} there, and brings the server back on the page's port.
     */
    private void writeWhileAway(Runnable writes) {
        writeWhileAway(() -> awaitState("reconnecting"), writes);
    }

    /** {@link #writeWhileAway(Runnable)}, with {@code awaitAway} to see that the page lost its connection. */
    private void writeWhileAway(Runnable awaitAway, Runnable writes) {
        int pagePort = port.get();
        port.set(FreePort.find());
        server.restart();
        awaitAway.run();
        writes.run();
        port.set(pagePort);
        server.restart();
    }

    /** Waits until the event rows show exactly these keys, newest first: commit order, reversed. */
    private static void awaitEvents(List<String> keys) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "events shown: " + shownKeys())
                .until(d -> shownKeys().equals(keys));
    }

    private static List<String> shownKeys() {
        return browser.findElements(By.cssSelector("#events li.event")).stream()
                .map(e -> e.getDomAttribute("data-keys")).toList();
    }

    /** Waits until the sample's rows start with these texts, newest first. */
    private static void awaitSampleRows(List<String> starts) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "rows: " + sampleRows()).until(d -> {
            List<String> rows = sampleRows();
            return rows.size() == starts.size()
                    && IntStream.range(0, rows.size()).allMatch(i -> rows.get(i).startsWith(starts.get(i)));
        });
    }

    private static List<String> sampleRows() {
        return browser.findElements(By.cssSelector("#events li")).stream().map(WebElement::getText).toList();
    }

    private static void awaitState(String state) {
        awaitText(By.id("state"), state);
    }

    private static void awaitText(By element, String text) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "text of " + element + ": " + browser.findElements(element).stream()
                        .map(WebElement::getText).toList())
                .until(d -> d.findElements(element).stream().anyMatch(e -> e.getText().equals(text)));
    }

    private static void screenshot(String name) {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
