package io.jormundb.api.http;

import com.sun.net.httpserver.HttpServer;
import io.jormundb.api.HeadlessChromium;
import io.jormundb.api.Npm;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A page on another origin calls JormunDB from headless Chromium with the AWS SDK for
 * JavaScript v3 (bundled from npm with esbuild at the first run): it creates a table, puts an
 * item, queries it, and follows the table's changes with an {@code EventSource}. Without CORS
 * Chromium would block every one of those calls. Skipped where Chromium or npm is missing.
 */
class CrossOriginBrowserTest {
    private static final Path NPM_PREFIX = Path.of("target", "aws-sdk-js");
    private static final Path BUNDLE = NPM_PREFIX.resolve("aws-sdk.js");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static HeadlessChromium chromium;

    @BeforeAll
    static void openBrowserAndBundleTheSdk() throws Exception {
        chromium = HeadlessChromium.start();
        if (!Files.isRegularFile(BUNDLE)) {
            Npm.install(NPM_PREFIX, "@aws-sdk/client-dynamodb", "esbuild");
            Path entry = NPM_PREFIX.resolve("entry.js");
            Files.writeString(entry, """
                    import {DynamoDBClient, CreateTableCommand, PutItemCommand, QueryCommand} from '@aws-sdk/client-dynamodb';
                    window.AWS = {DynamoDBClient, CreateTableCommand, PutItemCommand, QueryCommand};
                    """);
            Npm.run(NPM_PREFIX, "esbuild", entry.toString(), "--bundle", "--platform=browser", "--format=iife",
                    "--outfile=" + BUNDLE);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aPageOnAnotherOriginUsesTheSdkAndAnEventSource() throws Exception {
        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            boolean sdk = exchange.getRequestURI().getPath().endsWith("aws-sdk.js");
            byte[] body = sdk ? Files.readAllBytes(BUNDLE) : PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", sdk ? "text/javascript" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        pages.start();
        try (TestServer server = TestServer.start()) {
            ChromeDriver browser = chromium.driver();
            browser.get("http://127.0.0.1:" + pages.getAddress().getPort() + "/page.html?endpoint=" + server.endpoint());
            new WebDriverWait(browser, WAIT).withMessage(() -> "page says: " + text(browser, "log"))
                    .until(d -> text(browser, "status").equals("done") && !text(browser, "events").isEmpty());
            assertEquals("queried: o1=first", text(browser, "query"));
            assertEquals("INSERT o1", text(browser, "events"));
        } finally {
            pages.stop(0);
        }
    }

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** Creates Orders, puts o1, queries it back, and lists the table's changes as they arrive. */
    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <p id="status">starting</p><p id="query"></p><p id="events"></p><pre id="log"></pre>
            <script src="aws-sdk.js"></script>
            <script>
              const endpoint = new URLSearchParams(location.search).get('endpoint');
              const log = m => document.getElementById('log').textContent += m + '\\n';
              const db = new AWS.DynamoDBClient({endpoint, region: 'us-east-1',
                  credentials: {accessKeyId: 'browser', secretAccessKey: 'browser'}});
              (async () => {
                try {
                  await db.send(new AWS.CreateTableCommand({TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
                      KeySchema: [{AttributeName: 'pk', KeyType: 'HASH'}],
                      AttributeDefinitions: [{AttributeName: 'pk', AttributeType: 'S'}]}));
                  const feed = new EventSource(endpoint + '/changes/Orders?since=trim_horizon');
                  feed.addEventListener('INSERT', e => {
                    const change = JSON.parse(e.data);
                    document.getElementById('events').textContent = 'INSERT ' + change.dynamodb.Keys.pk.S;
                  });
                  feed.onerror = () => log('EventSource error');
                  await db.send(new AWS.PutItemCommand({TableName: 'Orders',
                      Item: {pk: {S: 'o1'}, w: {S: 'first'}}}));
                  const q = await db.send(new AWS.QueryCommand({TableName: 'Orders', KeyConditionExpression: 'pk = :p',
                      ExpressionAttributeValues: {':p': {S: 'o1'}}}));
                  document.getElementById('query').textContent =
                      'queried: ' + q.Items.map(i => i.pk.S + '=' + i.w.S).join(',');
                  document.getElementById('status').textContent = 'done';
                } catch (e) {
                  document.getElementById('status').textContent = 'failed';
                  log(e.name + ': ' + e.message);
                }
              })();
            </script>
            """;
}
