package io.jormundb.bench;

import io.javalin.Javalin;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The ceiling of the HTTP layer: Javalin, set up as JormunDB sets it up (virtual threads, one
 * connector, no compression), reading every {@code POST /} and answering {@code {}}. What JormunDB
 * serves as a share of this is what its own work costs.
 */
public final class Ceiling {
    private static final byte[] EMPTY = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private Ceiling() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            cfg.jetty.addConnector((server, httpConfig) -> {
                httpConfig.setSendServerVersion(false);
                ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                c.setHost("127.0.0.1");
                c.setPort(port);
                c.setAcceptQueueSize(4096);
                return c;
            });
            // Reads the body, as every server must before it answers, then answers {}.
            cfg.routes.post("/", ctx -> {
                ctx.bodyAsBytes();
                ctx.contentType("application/x-amz-json-1.0").result(EMPTY);
            });
        }).start();
    }
}
