package io.jormundb.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.jormundb.api.auth.HttpAuth;
import io.jormundb.api.auth.KeyLogins;
import io.jormundb.api.auth.OpenAccessWarning;
import io.jormundb.api.config.Config;
import io.jormundb.api.dynamo.Access;
import io.jormundb.api.dynamo.DynamoProtocol;
import io.jormundb.api.dynamo.SigningRegion;
import io.jormundb.api.http.ContentEncoding;
import io.jormundb.api.http.Cors;
import io.jormundb.api.http.Framing;
import io.jormundb.api.http.HttpErrors;
import io.jormundb.api.http.DescriptorLimit;
import io.jormundb.api.http.HttpLimits;
import io.jormundb.api.http.RequestBody;
import io.jormundb.api.metrics.MetricsEndpoint;
import io.jormundb.api.metrics.ServerMetrics;
import io.jormundb.api.replication.Bootstrap;
import io.jormundb.api.replication.FollowerClient;
import io.jormundb.api.replication.LeaderEndpoints;
import io.jormundb.api.replication.ReplicationSecret;
import io.jormundb.api.sse.ChangesEndpoint;
import io.jormundb.api.tls.ServerTls;
import io.jormundb.broker.ListenException;
import io.jormundb.broker.MqttService;
import io.jormundb.broker.MqttSettings;
import io.jormundb.engine.Engine;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.replication.NodeId;
import io.jormundb.engine.replication.Replica;
import io.jormundb.engine.store.FileErrors;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import io.jormundb.streams.feed.Feeds;
import io.jormundb.streams.feed.LiveTail;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Trimmer;
import io.jormundb.streams.shards.DynamoStreams;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The whole server: {@link #create} opens the data directory, {@link #start} listens,
 * {@link #close} stops listening and closes RocksDB. {@code Main} and the tests use only these.
 */
public final class JormunServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JormunServer.class);
    /** Idle connections (an SSE feed between heartbeats included) are closed after this long. */
    private static final long IDLE_TIMEOUT_MS = 120_000;
    /** Accept backlog, so a reconnect stampede of browsers is not refused by the kernel. */
    private static final int ACCEPT_QUEUE = 4096;
    /** How long the HTTP stop may take before the connections it waits on are closed (see {@link #stopHttp}). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Config config;
    private final Engine engine;
    private final DynamoProtocol dynamo;
    private final Changelog changelog;
    private final LiveTail liveTail;
    private final Trimmer trimmer;
    private final Feeds feeds;
    private final Javalin app;
    private ServerConnector connector;
    /** The HTTP port, bound by {@link #start} before anything else starts; Jetty accepts on it. */
    private ServerSocketChannel httpChannel;
    /** Who may do what over HTTP ({@code --auth}), or {@code null}: anyone may do anything. */
    private final HttpAuth auth;
    /** Set once {@link #start} has started the MQTT side (read by {@code /metrics} requests). */
    private volatile MqttService mqtt;
    /** Set when the server starts to stop: from then on requests are refused ({@link #refuseWhileStopping}). */
    private volatile boolean stopping;
    /** Writing requests running now ({@link #counted}). */
    private final AtomicInteger serving = new AtomicInteger();
    private final LeaderEndpoints replication;
    /** A follower's connection to its leader; {@code null} on a leader. */
    private final FollowerClient follower;
    private final CompletableFuture<Void> rebootstrap = new CompletableFuture<>();

    private JormunServer(Config config, Engine engine) {
        this.config = config;
        this.engine = engine;
        ReplicationSecret secret = config.replicationSecret() == null ? null
                : new ReplicationSecret(config.replicationSecret());
        this.replication = new LeaderEndpoints(engine, secret, config.follow(), Clock.systemUTC());
        this.follower = config.isFollower()
                ? new FollowerClient(config.follow(), secret, new Replica(engine), NodeId.of(engine.store()),
                this::fellOffTheLeadersLog)
                : null;
        this.changelog = new Changelog(engine);
        this.liveTail = new LiveTail(changelog);
        ServerMetrics serverMetrics = new ServerMetrics(engine, changelog, liveTail,
                () -> mqtt == null ? List.of() : mqtt.publishers(), () -> mqtt == null ? null : mqtt.sessions());
        serverMetrics.replication(this::replicationLags);
        DynamoStreams dynamoStreams = new DynamoStreams(changelog, config.changelogRetention());
        this.dynamo = new DynamoProtocol(engine, dynamoStreams, this::address, serverMetrics::request);
        if (config.isFollower()) {
            dynamo.refuseWrites(config.follow());
        }
        this.auth = config.auth() == null ? null : new HttpAuth(config.auth(), engine.clock(), dynamoStreams::tableOf);
        this.trimmer = new Trimmer(changelog, config.changelogRetention());
        this.feeds = new Feeds(changelog, liveTail, config.isFollower());
        ChangesEndpoint changes = new ChangesEndpoint(feeds, config.sseHeartbeat(),
                serverMetrics::sseEventsDelivered);
        MetricsEndpoint metrics = new MetricsEndpoint(serverMetrics);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = DynamoProtocol.MAX_REQUEST_BYTES + 1L;
            cfg.jetty.addConnector((server, httpConfig) -> {
                httpConfig.setSendServerVersion(false);
                ServerConnector c = new ServerConnector(server, connectionFactories(config, httpConfig)) {
                    @Override
                    protected ServerSocketChannel openAcceptChannel() {
                        return httpChannel;
                    }
                };
                c.setHost(config.host());
                c.setPort(config.port());
                c.setIdleTimeout(IDLE_TIMEOUT_MS);
                c.setAcceptQueueSize(ACCEPT_QUEUE);
                HttpLimits.limitConnections(server, c, config.maxConnections(), config.sseHeartbeat());
                connector = c;
                return c;
            });
            HttpErrors.install(cfg);
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.routes.before(this::refuseWhileStopping);
            Framing.install(cfg, config.requestBodyTimeout());
            Cors cors = new Cors(config.corsOrigins());
            cfg.routes.before(cors::answer);
            cfg.routes.options("/", cors::preflight);
            cfg.routes.options("/<path>", cors::preflight);
            cfg.routes.post("/", counted(this::dynamo));
            streamed(cfg, "/changes", auth == null ? changes::allTables : auth.feed(changes::allTables));
            streamed(cfg, "/changes/{table}", auth == null ? changes::table : auth.feed(changes::table));
            page(cfg, "/console", ctx -> ctx.contentType("text/html; charset=utf-8")
                    .result(JormunServer.class.getResourceAsStream("/console/index.html")));
            page(cfg, "/", JormunServer::root);
            page(cfg, "/health", this::health);
            streamed(cfg, "/replication/wal", replication::wal);
            streamed(cfg, "/replication/checkpoint", replication::checkpoint);
            cfg.routes.post("/replication/ack", replication::ack);
            page(cfg, "/metrics", auth == null ? metrics::handle : auth.anyKey(metrics::handle));
            cfg.routes.post("/admin/ttl/expire", counted(auth == null ? this::expireNow : auth.admin(this::expireNow)));
            cfg.routes.post("/admin/checkpoint", counted(auth == null ? this::checkpoint : auth.admin(this::checkpoint)));
        });
    }

    /**
     * A GET route whose HEAD runs the same handler, body discarded: the same status, checks and
     * headers (Javalin itself answers a HEAD of a GET route 200, empty, without its handler).
     */
    private static void page(JavalinConfig cfg, String path, Handler handler) {
        cfg.routes.get(path, handler);
        cfg.routes.head(path, handler);
    }

    /** A GET route that streams (a feed, the replication log): HEAD cannot open one, and is refused. */
    private static void streamed(JavalinConfig cfg, String path, Handler handler) {
        cfg.routes.get(path, handler);
        cfg.routes.head(path, ctx -> {
            ctx.header("Allow", "GET");
            HttpErrors.answer(ctx, 405, "HEAD is not served on " + ctx.path() + ": GET opens it");
        });
    }

    /**
     * HTTP, or HTTPS with the server's certificate ({@code --tls-cert}); either way with the
     * request-header deadline of {@link HttpLimits#connectionFactory} (and over TLS the same for the handshake).
     */
    private static ConnectionFactory[] connectionFactories(Config config, HttpConfiguration httpConfig) {
        ConnectionFactory http = HttpLimits.connectionFactory(httpConfig, config.requestHeaderTimeout());
        ServerTls tls = config.tls();
        if (tls == null) {
            return new ConnectionFactory[] {http};
        }
        // Clients reach the server by IP address or by any of its names: no SNI requirement.
        httpConfig.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.context());
        return new ConnectionFactory[] {HttpLimits.tlsConnectionFactory(ssl, config.requestHeaderTimeout()), http};
    }

    /**
     * {@code GET /}: a person's browser goes on to the console; a program gets DynamoDB's health
     * line ({@code healthy: <service>}) as text, which load balancers and SDK health checks read.
     */
    private static void root(Context ctx) {
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/html")) {
            ctx.redirect("/console", io.javalin.http.HttpStatus.FOUND);
        } else {
            ctx.contentType("text/plain; charset=utf-8").result("healthy: jormundb " + Version.current());
        }
    }

    /**
     * {@code GET /health}: the role and status, and on a leader its followers (node, applied, lag
     * in sequence numbers of its log, when last heard), on a follower its leader and lag; 503 with
     * the reason while the store cannot write.
     */
    private void health(Context ctx) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        long now = System.currentTimeMillis();
        if (follower == null) {
            body.put("role", "leader").put("status", "serving").set("followers", replication.followers(now));
        } else {
            body.put("role", "follower").put("status", "serving").setAll(follower.status(now));
        }
        // A store that cannot write answers 503 with the reason, whatever the role.
        engine.store().unavailable().ifPresentOrElse(
                reason -> ctx.status(503).json(body.put("status", "unavailable").put("reason", reason)),
                () -> ctx.json(body));
    }

    private Map<String, Long> replicationLags() {
        return follower != null ? Map.of(follower.node(), follower.lag())
                : replication.lags().stream().collect(Collectors.toMap(LeaderEndpoints.Lag::node,
                LeaderEndpoints.Lag::sequences));
    }

    /** The follower's leader no longer holds its place: mark the directory for a bootstrap and ask for a restart. */
    private void fellOffTheLeadersLog() {
        Bootstrap.markForBootstrap(engine.store());
        rebootstrap.complete(null);
    }

    /**
     * Completes when this follower fell off its leader's log and marked its directory for a new
     * bootstrap: whoever runs the server ({@code Main}) closes it and creates a new one on the same
     * configuration, which copies a fresh checkpoint. Meanwhile it serves what it has.
     */
    public CompletableFuture<Void> rebootstrapRequested() {
        return rebootstrap;
    }

    /** Opens the data directory; fails if another server holds it. */
    public static JormunServer create(Config config) {
        return create(config, Clock.systemUTC());
    }

    /** {@link #create(Config)} on {@code clock}, for tests that move time (iterator expiry, retention). */
    static JormunServer create(Config config, Clock clock) {
        Bootstrap.finishInterruptedInstall(config.dataDir());
        if (config.isFollower()) {
            Bootstrap.ifNeeded(config.dataDir(), config.follow(), new ReplicationSecret(config.replicationSecret()));
        }
        // Only a leader that followers can reach (it has the secret) keeps log files for them.
        boolean replicates = !config.isFollower() && config.replicationSecret() != null;
        Engine engine = Engine.open(config.dataDir(), config.changelogPartitions(), config.sync(),
                replicates ? config.walRetention() : Duration.ZERO, config.cacheSize(), config.isFollower(), clock);
        try {
            return new JormunServer(config, engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Starts serving. Every port is bound first, so that one in use fails at once; then MQTT
     * starts, then HTTP, so that {@code /health} answering means MQTT subscribers can connect too.
     *
     * @throws CannotListenException when a port cannot be bound; the server is closed then
     */
    public JormunServer start() {
        try {
            httpChannel = bind(config.host(), config.port());
            OpenAccessWarning.check(config);
            liveTail.start();
            if (follower == null) {
                trimmer.start();
                engine.expirer().start(config.ttlInterval());
            }
            mqtt = MqttService.start(new MqttSettings(config.host(), config.mqttPort(), config.mqttWsPort(),
                    config.mqttConnectTimeout(), config.mqttMaxConnections(), config.mqttMaxPublishRate(), config.dataDir(),
                    config.mqttUser(), config.mqttPassword(), config.mqttBridge(), config.mqttBridgeUser(),
                    config.mqttBridgePassword(), config.mqttBridgeClientId(), config.mqttBridgePrefix(),
                    config.mqttBridgeMaxPacketSize(),
                    config.mqttSessionExpiry(), config.auth() == null ? null : new KeyLogins(config.auth()),
                    config.tls() == null ? null : config.tls().context(), config.mqttTlsPort()), feeds, changelog);
            app.start();
            if (follower != null) {
                follower.start();
            }
            // Once serving: a server that cannot start says only why (one line), nothing else.
            DescriptorLimit.check(config);
            return this;
        } catch (ListenException e) {
            close();
            throw new CannotListenException(e.host(), e.port(), switch (e.listener()) {
                case MQTT -> "--mqtt-port";
                case WEBSOCKET -> "--mqtt-ws-port";
                case MQTT_TLS -> "--mqtt-tls-port";
            }, e.getCause());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static ServerSocketChannel bind(String host, int port) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(host, port), ACCEPT_QUEUE);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CannotListenException(host, port, "--port", e);
        } catch (UnresolvedAddressException e) {
            closeQuietly(channel);
            throw new CannotListenException(host, port, "--host", e);
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a channel that never served: nothing to lose.
            }
        }
    }

    /** The host:port clients reach this server at: its host, or localhost when it listens on every address. */
    private String address() {
        String host = config.host();
        return (host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host) + ":" + port();
    }

    /** The HTTP port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public Config config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    /** The changelog reader, for tests that trim it on demand. */
    public Trimmer trimmer() {
        return trimmer;
    }

    /** Once the server stops, every request is refused (503, the connection closed): see {@link #close}. */
    private void refuseWhileStopping(Context ctx) {
        if (stopping) {
            ctx.header("Connection", "close");
            throw new HttpResponseException(503, "JormunDB is stopping: retry on another node, or once it is back");
        }
    }

    /**
     * A handler that writes, counted while it runs, so that a stop waits for it: counted first and
     * then checked, so that a request either sees the stop and is refused or is waited for.
     */
    private Handler counted(Handler handler) {
        return ctx -> {
            serving.incrementAndGet();
            try {
                refuseWhileStopping(ctx);
                handler.handle(ctx);
            } finally {
                serving.decrementAndGet();
            }
        };
    }

    private void dynamo(Context ctx) throws IOException {
        String target = ctx.header("X-Amz-Target");
        String contentType = ctx.contentType();
        DynamoProtocol.Response response;
        try {
            byte[] body = RequestBody.read(ctx.req(), DynamoProtocol.MAX_REQUEST_BYTES, config.requestBodyTimeout());
            DynamoProtocol.checkContentType(contentType);
            byte[] decoded = ContentEncoding.decode(ctx.header("Content-Encoding"), body,
                    DynamoProtocol.MAX_REQUEST_BYTES);
            response = dynamo.handle(target, decoded, SigningRegion.of(ctx.header("Authorization")),
                    auth == null ? Access.OPEN : auth.dynamo(ctx, body), ctx.header("Host"));
        } catch (DynamoException unreadable) {
            ctx.header("Connection", "close");
            response = dynamo.refused(unreadable);
        }
        // Straight to the servlet response: Javalin's result path would copy the body once more.
        HttpServletResponse res = ctx.res();
        res.setStatus(response.status());
        res.setHeader("x-amzn-RequestId", response.requestId());
        res.setHeader("x-amz-crc32", Long.toString(response.crc32()));
        res.setContentType(contentType != null && contentType.startsWith("application/x-amz-json-1.1")
                ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0");
        res.setContentLength(response.body().length);
        res.getOutputStream().write(response.body());
    }

    /**
     * {@code POST /admin/ttl/expire}: one TTL expiry pass now, answered {@code {"expired": n}}.
     * Only from this machine (the loopback address); anyone else gets 403.
     */
    private void expireNow(Context ctx) throws IOException {
        if (follower != null) {
            ctx.status(409).json(JsonNodeFactory.instance.objectNode().put("error", "NotALeader")
                    .put("message", "a follower expires no items: its leader at " + config.follow() + " does"));
            return;
        }
        if (fromThisMachine(ctx)) {
            ctx.json(JsonNodeFactory.instance.objectNode().put("expired", engine.expirer().expireNow()));
        }
    }

    /**
     * {@code POST /admin/checkpoint?directory=/abs/path}: a consistent copy of the whole database
     * as of now, written to a new data directory (a RocksDB checkpoint: hard links on the same
     * filesystem), which a server started with {@code --data-dir} on it serves. Answers
     * {@code {"directory", "files", "bytes"}}. Only from this machine.
     */
    private void checkpoint(Context ctx) throws IOException {
        if (!fromThisMachine(ctx)) {
            return;
        }
        String directory = ctx.queryParam("directory");
        Path target = directory == null || directory.isBlank() ? null : Path.of(directory);
        String refusal = target == null ? "name the new data directory: ?directory=/absolute/path"
                : !target.isAbsolute() ? "directory must be an absolute path: " + directory
                : Files.exists(target) && !isEmptyDirectory(target) ? "directory exists and is not empty: " + directory
                : target.normalize().startsWith(config.dataDir().toAbsolutePath().normalize())
                ? "directory is inside this server's data directory: " + directory
                : null;
        if (refusal != null) {
            ctx.status(400).json(JsonNodeFactory.instance.objectNode().put("error", "InvalidParameter")
                    .put("message", refusal));
            return;
        }
        long start = System.nanoTime();
        Store.Checkpointed done;
        try {
            // The mark first: a copy complete enough to start never passes for the node copied. Made
            // only if absent, it claims the directory: of checkpoints racing for one, one writes there.
            Files.createDirectories(target);
            Files.writeString(target.resolve(NodeId.COPY_MARKER), "a copy of node " + NodeId.of(engine.store())
                    + ": a server started here makes itself a new node id\n", StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException taken) {
            ctx.status(400).json(JsonNodeFactory.instance.objectNode().put("error", "InvalidParameter")
                    .put("message", "directory exists and is not empty: " + directory));
            return;
        } catch (IOException e) {
            ctx.status(400).json(JsonNodeFactory.instance.objectNode().put("error", "CheckpointFailed")
                    .put("message", "cannot write into " + target + ": " + FileErrors.reason(e)));
            return;
        }
        try {
            done = engine.store().checkpoint(target);
        } catch (StoreException e) {
            try {
                Files.deleteIfExists(target.resolve(NodeId.COPY_MARKER)); // the directory empty again, for a retry
            } catch (IOException notDeleted) {
                e.addSuppressed(notDeleted);
            }
            ctx.status(400).json(JsonNodeFactory.instance.objectNode().put("error", "CheckpointFailed")
                    .put("message", e.getMessage()));
            return;
        }
        LOG.info("checkpoint written to {}: {} files, {} bytes in {} ms", target, done.files(), done.bytes(),
                (System.nanoTime() - start) / 1_000_000);
        ctx.json(JsonNodeFactory.instance.objectNode().put("directory", target.toString())
                .put("files", done.files()).put("bytes", done.bytes()));
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Whether the request came from this machine (the loopback address); otherwise answers 403. */
    private static boolean fromThisMachine(Context ctx) throws IOException {
        if (InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress()) {
            return true;
        }
        ctx.status(403).json(JsonNodeFactory.instance.objectNode().put("error", "Forbidden")
                .put("message", "the admin endpoints answer only requests over the loopback interface (127.0.0.1 or ::1)"));
        return false;
    }

    /** Waits, at most {@code max}, until no counted request is running. */
    private void awaitServed(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (serving.get() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Stops Javalin and Jetty. Jetty closes its connections on its selector thread and waits there,
     * without a time limit, for a write in progress on each, which sometimes only that selector could
     * finish (seen once in CI, a test server's stop hung for good, the selector parked in
     * {@code HttpConnection$SendCallback$CancelSendException.join}): if the stop takes longer than
     * {@link #STOP_GRACE}, every connection still open is closed from here, which fails its pending
     * write and lets the selector go on.
     */
    private void stopHttp() {
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(app::stop,
                runnable -> Thread.ofPlatform().name("jormundb-http-stop").daemon(true).start(runnable));
        try {
            stopped.get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            if (connector != null) {
                LOG.warn("HTTP stop still waits after {} ms on writes to {} connections; closing them",
                        STOP_GRACE.toMillis(), connector.getConnectedEndPoints().size());
                connector.getConnectedEndPoints().forEach(EndPoint::close);
            }
            stopped.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("HTTP stop failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Stops in the order docs/operations.md gives: no more requests (each one now is refused with
     * 503, and those under way are waited for), then the MQTT publishers publish what is
     * committed (they stopped first, and writes acknowledged meanwhile were published only at the
     * next start, to whoever was connected then), then the feeds end, the HTTP server stops and
     * RocksDB closes.
     */
    @Override
    public void close() {
        try {
            stopping = true;
            awaitServed(STOP_GRACE);
            if (follower != null) {
                follower.close();
            }
            replication.close();
            if (mqtt != null) {
                if (!mqtt.awaitPublished(STOP_GRACE)) {
                    LOG.warn("MQTT publishers still behind the changelog after {} ms: they go on from there at the "
                            + "next start", STOP_GRACE.toMillis());
                }
                mqtt.close();
            }
            trimmer.close();
            liveTail.close();
            stopHttp();
            closeQuietly(httpChannel); // when Jetty never started; closed already otherwise
        } finally {
            engine.close();
        }
    }
}
