package io.jormundb.broker.embedded;

import io.jormundb.broker.sessions.PersistentSessions;
import io.jormundb.broker.topic.MqttTopics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.local.LocalChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection through the {@link ConnectGuard}, last in its pipeline (after the
 * {@link PacketFilter} and, until the CONNECT came, Netty's MQTT decoder). It closes a connection
 * that sends no CONNECT in time, checks the CONNECT (protocol level, the connection limit, the
 * client's user name and password, no will under {@code jormundb/}) and answers a refusal with
 * its CONNACK itself. An accepted CONNECT goes to Moquette with the guard's own credentials in
 * place of the client's (client id, clean session, keep alive and will unchanged; a client
 * without an id, which MQTT 3.1.1 allows with a clean session, gets one made here). What the
 * client sends after its CONNECT is held until Moquette has really taken the connection as
 * connected ({@link ConnectSignals}), and from then on the client's connection and its in-JVM
 * connection into Moquette ({@link LocalBroker}) relay to each other, with backpressure both ways.
 * A persistent session's connection reports its subscriptions and acknowledgements to
 * {@link PersistentSessions} ({@link SessionTraffic}); a clean session replaces whatever persistent
 * session its client id had. Runs on the event loop of the client's
 * channel, which the broker side shares: no locking.
 */
final class GuardedConnection extends ChannelInboundHandlerAdapter {
    /** Name of Netty's MQTT decoder in the pipeline, there only to decode the CONNECT. */
    static final String CONNECT_DECODER = "connect-decoder";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectGuard.class);
    private static final int MQTT_3_1 = 3;
    /** The longest client id MQTT 3.1 allows (Netty's decoder, Moquette's, refuse longer ones). */
    private static final int MQTT_3_1_MAX_CLIENT_ID = 23;
    private static final int MQTT_3_1_1 = 4;
    /** The client id made for a client that gives none starts with this. */
    private static final String GENERATED_ID_PREFIX = "jormundb-";

    private final ConnectGuard guard;
    private final SessionTraffic traffic;
    private ScheduledFuture<?> connectTimeout;
    /** The connection to Moquette once it is up. */
    private Channel broker;
    /**
     * What goes to Moquette after the CONNECT, held until Moquette took the connection as
     * connected; {@code null} before the CONNECT and after.
     */
    private List<Object> pending;
    /** The client id Moquette knows the connection by (made here for a client that gave none). */
    private String clientId;
    private boolean cleanSession;
    /**
     * This connection's turn among the connections of its client id ({@link ConnectGuard#takeTurn}):
     * completed once Moquette took it as connected, or it is gone.
     */
    private CompletableFuture<Void> turn;
    /** Completed once Moquette took the connection as connected. */
    private CompletableFuture<Void> connected;
    /** Whether a problem was logged already: a client mistake is one line, whatever follows from it. */
    private boolean reported;

    GuardedConnection(ConnectGuard guard, SessionTraffic traffic) {
        this.guard = guard;
        this.traffic = traffic;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        guard.connectionOpened();
        connectTimeout = ctx.executor().schedule(() -> {
            report("sent no CONNECT within " + guard.connectTimeout().toMillis() + " ms", ctx);
            ctx.close();
        }, guard.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttMessage connect) {
            ctx.pipeline().remove(CONNECT_DECODER);
            connectTimeout.cancel(false);
            connect(ctx, connect);
        } else if (pending != null) {
            pending.add(msg);
        } else if (broker != null) {
            broker.write(msg);
            if (!broker.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            ReferenceCountUtil.release(msg); // refused: closing
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (broker != null) {
            broker.flush();
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            Throwable cause = msg.decoderResult().cause();
            switch (cause) {
                case MqttUnacceptableProtocolVersionException e ->
                        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "an MQTT "
                                + "protocol name or level this broker does not speak (it speaks 3.1 and 3.1.1)");
                case MqttIdentifierRejectedException e ->
                        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, e.getMessage());
                default -> {
                    report("sent a malformed CONNECT (" + cause.getMessage() + ")", ctx);
                    ctx.close();
                }
            }
            return;
        }
        MqttConnectMessage connect = (MqttConnectMessage) msg;
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        String client = "client id '" + payload.clientIdentifier() + "'";
        Optional<String> login = guard.login(payload);
        if (payload.clientIdentifier().isEmpty() && !header.isCleanSession()) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "an empty client id with a "
                    + "persistent session (MQTT 3.1.1 allows it with a clean session only)");
        } else if (header.version() != MQTT_3_1 && header.version() != MQTT_3_1_1) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, client + ": MQTT protocol "
                    + "level " + header.version() + " (this broker speaks 3.1 and 3.1.1)");
        } else if (guard.openConnections() > guard.maxConnections()) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, client + ": "
                    + guard.openConnections() + " connections are open, more than the limit of " + guard.maxConnections());
        } else if (login.isEmpty()) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, client
                    + ": bad user name or password");
        } else if (header.isWillFlag() && MqttTopics.isReserved(payload.willTopic())) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, client + ": its will is on '"
                    + payload.willTopic() + "', where only the server publishes");
        } else if (header.version() == MQTT_3_1
                && ConnectGuard.clientId(login.get(), payload.clientIdentifier()).length() > MQTT_3_1_MAX_CLIENT_ID) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, client + ": MQTT 3.1 allows "
                    + MQTT_3_1_MAX_CLIENT_ID + " characters, and the broker knows a key's client as <key id>:<client "
                    + "id>: a client id of at most " + (MQTT_3_1_MAX_CLIENT_ID - (ConnectGuard.clientId(login.get(), "")
                    .length())) + " characters with this key, or MQTT 3.1.1, which has no such limit");
        } else {
            LOG.debug("MQTT client {} connects with {}", ctx.channel().remoteAddress(), client);
            clientId = ConnectGuard.clientId(login.get(), payload.clientIdentifier().isEmpty()
                    ? GENERATED_ID_PREFIX + UUID.randomUUID() : payload.clientIdentifier());
            cleanSession = header.isCleanSession();
            relay(ctx, new MqttConnectMessage(connect.fixedHeader(),
                    new MqttConnectVariableHeader(header.name(), header.version(), true, true, header.isWillRetain(),
                            header.willQos(), header.isWillFlag(), header.isCleanSession(), header.keepAliveTimeSeconds()),
                    new MqttConnectPayload(clientId, payload.willTopic(),
                            payload.willMessageInBytes(), login.get(), guard.brokerPassword())));
        }
    }

    /** The server cannot take the connection now: CONNACK "server unavailable", and what the client sent goes. */
    private void unavailable(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        ReferenceCountUtil.release(connect);
        releasePending();
        connackAndClose(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
    }

    /** Logs why, answers CONNACK {@code code} and closes. */
    private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, String why) {
        LOG.info("MQTT client {} refused ({}): {}", ctx.channel().remoteAddress(), code, why);
        connackAndClose(ctx, code);
    }

    private void connackAndClose(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
        reported = true;
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x20, 2, 0, code.byteValue()}))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Connects to Moquette and hands it {@code connect}; what followed it (read already, or still
     * unread: the client's channel stops reading) waits until Moquette took the connection as connected.
     */
    private void relay(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        Channel client = ctx.channel();
        pending = new ArrayList<>();
        client.config().setAutoRead(false);
        new Bootstrap().group(client.eventLoop()).channel(LocalChannel.class)
                .handler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(MqttEncoder.INSTANCE);
                        if (!cleanSession) {
                            ch.pipeline().addLast(new BrokerPackets(traffic));
                        }
                        ch.pipeline().addLast(new BrokerSide(client));
                    }
                })
                .connect(guard.broker())
                .addListener((ChannelFutureListener) up -> brokerConnected(ctx, up, connect));
    }

    private void brokerConnected(ChannelHandlerContext ctx, ChannelFuture up, MqttConnectMessage connect) {
        if (!up.isSuccess()) {
            LOG.error("MQTT client {}: the embedded broker cannot be reached at {}: {}",
                    ctx.channel().remoteAddress(), guard.broker(), up.cause().getMessage());
            unavailable(ctx, connect);
            return;
        }
        if (pending == null) { // the client left meanwhile
            ReferenceCountUtil.release(connect);
            up.channel().close();
            return;
        }
        broker = up.channel();
        turn = new CompletableFuture<>();
        // One connection of a client id at a time, so that the persistent sessions see them in the
        // order Moquette takes them; and before Moquette has the CONNECT, since once it takes it,
        // it may send a session's queue at once. Ready at once, unless another connection of this
        // client id is connecting, or Moquette is still dropping an expired session of it, or a
        // connected clean session of it that a persistent one takes over.
        CompletableFuture<PersistentSessions.Attachment> session = guard.takeTurn(clientId, turn)
                .thenCompose(previousDone -> cleanSession
                        ? guard.sessions().forget(clientId).thenApply(forgotten -> null)
                        : guard.dropCleanSession(clientId).thenCompose(dropped -> guard.sessions().attach(clientId)));
        session.whenComplete((attachment, failure) -> {
            if (ctx.executor().inEventLoop()) {
                sessionReady(ctx, connect, attachment, failure);
            } else {
                ctx.executor().execute(() -> sessionReady(ctx, connect, attachment, failure));
            }
        });
    }

    /**
     * The persistent sessions know of the connection ({@code attachment}, {@code null} for a clean
     * session): the CONNECT goes to Moquette.
     */
    private void sessionReady(ChannelHandlerContext ctx, MqttConnectMessage connect,
                              PersistentSessions.Attachment attachment, Throwable failure) {
        if (failure != null) {
            LOG.error("MQTT client {}: its session cannot be set up", ctx.channel().remoteAddress(), failure);
            turn.complete(null);
            unavailable(ctx, connect);
            return;
        }
        if (pending == null) { // the client left meanwhile
            ReferenceCountUtil.release(connect);
            if (attachment != null) {
                attachment.detach();
            }
            turn.complete(null);
            return;
        }
        if (cleanSession) {
            traffic.ignore();
        } else {
            traffic.attach(attachment);
        }
        connected = guard.signals().expect(clientId);
        broker.writeAndFlush(connect);
        // Its turn ends once Moquette took it as connected, or once its connection to Moquette is gone.
        broker.closeFuture().addListener(closed -> turn.complete(null));
        connectTimeout = ctx.executor().schedule(() -> {
            report("was not taken as connected by the embedded broker within " + guard.connectTimeout().toMillis()
                    + " ms", ctx);
            ctx.close();
        }, guard.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        connected.thenRun(() -> ctx.executor().execute(() -> takenAsConnected(ctx)));
    }

    /** Moquette marked the connection connected: what the client sent since goes on, and from now on everything. */
    private void takenAsConnected(ChannelHandlerContext ctx) {
        if (pending == null) {
            turn.complete(null);
            return; // closed meanwhile
        }
        connectTimeout.cancel(false);
        guard.connectedAs(clientId, ctx.channel(), cleanSession);
        turn.complete(null); // the next connection of this client id finds this one connected
        for (Object msg : pending) {
            broker.write(msg);
        }
        pending = null;
        broker.flush();
        PacketFilter filter = ctx.pipeline().get(PacketFilter.class);
        if (filter != null) {
            filter.accepted(); // after the CONNACK, which Moquette wrote before it took the connection as connected
        }
        ctx.channel().config().setAutoRead(broker.isWritable());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (broker != null) {
            broker.config().setAutoRead(ctx.channel().isWritable());
            LocalBroker.passWritability(broker, ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        guard.connectionClosed();
        connectTimeout.cancel(false);
        if (connected != null) {
            guard.signals().cancel(clientId, connected);
            guard.disconnectedAs(clientId, ctx.channel());
        }
        traffic.detach();
        releasePending();
        closeAfterFlush(broker);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (notTls(cause)) {
            // Netty's message dumps the bytes received, which hold the client's CONNECT and its password.
            report("sent something other than TLS to a TLS port", ctx);
        } else if (cause instanceof DecoderException) {
            report("broke the MQTT protocol: " + (cause.getCause() == null ? cause : cause.getCause()).getMessage(), ctx);
        } else if (cause instanceof IOException) {
            LOG.debug("MQTT client {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            report("closed on " + cause, ctx);
        }
        ctx.close();
    }

    private static boolean notTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return true;
            }
        }
        return false;
    }

    /** Logs one line about a client's mistake, the first time only. */
    private void report(String what, ChannelHandlerContext ctx) {
        if (!reported) {
            reported = true;
            LOG.warn("MQTT client {} {}; connection closed", ctx.channel().remoteAddress(), what);
        }
    }

    private void releasePending() {
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
            pending = null;
        }
    }

    private static void closeAfterFlush(Channel channel) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Moquette's side of a relayed connection: what Moquette sends goes to the client as it is. */
    private static final class BrokerSide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        BrokerSide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            client.write(msg);
            if (!client.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            client.config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeAfterFlush(client);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("MQTT connection to the embedded broker for client {} failed: {}", client.remoteAddress(),
                    cause.toString());
            ctx.close();
        }
    }
}
