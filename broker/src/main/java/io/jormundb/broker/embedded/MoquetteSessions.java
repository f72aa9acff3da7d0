package io.jormundb.broker.embedded;

import io.jormundb.broker.sessions.PersistentSessions;
import io.jormundb.broker.sessions.TopicFilter;
import io.moquette.broker.ISessionsRepository;
import io.moquette.broker.ISubscriptionsRepository;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.persistence.H2Builder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Makes Moquette's sessions what RocksDB says they are ({@link PersistentSessions}). Moquette's
 * own session state is not trusted across a restart: its queues are checkpointed only by a clean
 * stop, which writes just one of them (0.17's QueuePool.close), a session without a queue is not
 * brought back, its session store is committed every second, and a session it brings back forgets
 * its subscriptions (a clean session of the same client id then keeps receiving them). So:
 * <ul>
 *   <li>{@link #reset} (before Moquette starts) empties its session and subscription store and
 *       deletes its queue files; retained messages stay;</li>
 *   <li>{@link #restore} (once it listens, before any client comes in) connects to it as each
 *       persistent session's client, with clean session off, subscribes as the session did and
 *       disconnects: the session is then there, with its subscriptions and an empty queue, as if
 *       its client had done it;</li>
 *   <li>{@link #purge} connects as a client with a clean session and disconnects: Moquette drops
 *       the client's session and its subscriptions (for an expired session); then its queue on
 *       disk, which Moquette keeps, is given back ({@link SessionLeftovers}).</li>
 * </ul>
 * Each connection speaks MQTT 3.1.1 to Moquette in-process ({@link LocalBroker}) with the guard's
 * credentials, and waits until Moquette took it as connected before it sends on ({@link ConnectSignals}).
 */
final class MoquetteSessions implements PersistentSessions.Purger {
    /** Moquette's store file name in its data path (BrokerConstants.DEFAULT_MOQUETTE_STORE_H2_DB_FILENAME). */
    private static final String STORE_FILE = "moquette_store.h2";
    /** Where Moquette's segmented queues keep their state, beside their {@code <n>.page} files. */
    private static final String QUEUES_CHECKPOINT = "checkpoint.properties";
    private static final String QUEUE_PAGE_SUFFIX = ".page";
    /** The store's commit task is never due: the store is closed (and so committed) at once. */
    private static final int NO_AUTOSAVE_SECONDS = 3600;
    /** Sessions restored at once. */
    private static final int RESTORING_AT_ONCE = 16;

    private final LocalAddress broker;
    private final EventLoopGroup loops;
    private final String user;
    private final byte[] password;
    private final ConnectSignals signals;
    private final Duration timeout;
    private final SessionLeftovers leftovers;

    MoquetteSessions(LocalAddress broker, EventLoopGroup loops, String user, byte[] password, ConnectSignals signals,
                     Duration timeout, SessionLeftovers leftovers) {
        this.broker = broker;
        this.loops = loops;
        this.user = user;
        this.password = password.clone();
        this.signals = signals;
        this.timeout = timeout;
        this.leftovers = leftovers;
    }

    /** Before Moquette starts on {@code brokerData}: no session, no subscription, no queue is left there. */
    static void reset(Path brokerData) throws IOException {
        if (Files.exists(brokerData.resolve(STORE_FILE))) {
            ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
            try {
                // H2's MVStore (2.1.212) opened after a kill -9 and written at once loses data at close
                // (measured: the reopened store held an older version); opened and closed once first, it
                // writes correctly.
                new H2Builder(unused, brokerData, NO_AUTOSAVE_SECONDS, Clock.systemUTC()).initStore().closeStore();
                H2Builder store = new H2Builder(unused, brokerData, NO_AUTOSAVE_SECONDS, Clock.systemUTC()).initStore();
                try {
                    ISubscriptionsRepository subscriptions = store.subscriptionsRepository();
                    for (Subscription s : subscriptions.listAllSubscriptions()) {
                        subscriptions.removeSubscription(s.getTopicFilter().toString(), s.getClientId());
                    }
                    ISessionsRepository sessions = store.sessionsRepository();
                    List.copyOf(sessions.list()).forEach(sessions::delete);
                } finally {
                    store.closeStore();
                }
            } finally {
                unused.shutdownNow();
            }
        }
        if (Files.isDirectory(brokerData)) {
            try (Stream<Path> files = Files.list(brokerData)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals(QUEUES_CHECKPOINT) || name.endsWith(QUEUE_PAGE_SUFFIX)) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    /**
     * Brings back every session of {@code subscriptions} (client id → its subscriptions), a few at
     * a time.
     *
     * @throws UncheckedIOException when Moquette does not take one of them
     */
    void restore(Map<String, List<TopicFilter>> subscriptions) {
        Semaphore slots = new Semaphore(RESTORING_AT_ONCE);
        List<Future<?>> restored = new ArrayList<>(subscriptions.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            subscriptions.forEach((clientId, filters) -> restored.add(threads.submit(() -> {
                slots.acquire();
                try {
                    session(clientId, false, filters);
                } finally {
                    slots.release();
                }
                return null;
            })));
            for (Future<?> f : restored) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof UncheckedIOException u ? u : new UncheckedIOException(new IOException(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while restoring the MQTT sessions"));
        }
    }

    @Override
    public void purge(String clientId) throws IOException {
        session(clientId, true, List.of());
        // Its queue on disk too, before its client may come back (it waits for the purge).
        try {
            leftovers.removeFor(clientId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot remove the queue of the MQTT session " + clientId + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the queue of the MQTT session " + clientId + " was not removed within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while removing the queue of the MQTT session " + clientId);
        }
    }

    /** Connects as {@code clientId}, subscribes to {@code filters} (if any) and disconnects. */
    private void session(String clientId, boolean cleanSession, List<TopicFilter> filters) {
        CompletableFuture<Void> connected = signals.expect(clientId);
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        Channel channel = null;
        try {
            ChannelFuture up = new Bootstrap().group(loops).channel(LocalChannel.class)
                    .handler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel ch) {
                            ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Answers(answers));
                        }
                    })
                    .connect(broker);
            if (!up.await(timeout.toMillis())) {
                throw new TimeoutException();
            }
            if (!up.isSuccess()) {
                throw new IOException("cannot connect: " + up.cause(), up.cause());
            }
            channel = up.channel();
            channel.writeAndFlush(connect(clientId, cleanSession));
            MqttConnectReturnCode code = answer(answers, MqttConnAckMessage.class).variableHeader().connectReturnCode();
            if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                throw new IOException("the broker refused the connection (CONNACK " + code + ")");
            }
            connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!filters.isEmpty()) {
                channel.writeAndFlush(subscribe(filters));
                int granted = answer(answers, MqttSubAckMessage.class).payload().reasonCodes().size();
                if (granted != filters.size()) {
                    throw new IOException("the broker answered the SUBSCRIBE with " + granted + " codes");
                }
            }
            channel.writeAndFlush(MqttMessage.DISCONNECT);
            // Moquette closes the connection once it handled the DISCONNECT.
            if (!channel.closeFuture().await(timeout.toMillis())) {
                throw new TimeoutException();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded MQTT broker did not take the session of client id '"
                    + clientId + "': " + e.getMessage(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new UncheckedIOException(new IOException("the embedded MQTT broker did not take the session of "
                    + "client id '" + clientId + "' within " + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        } finally {
            signals.cancel(clientId, connected);
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** The next packet Moquette sent, which must be a {@code type}. */
    private <T extends MqttMessage> T answer(BlockingQueue<Object> answers, Class<T> type)
            throws IOException, InterruptedException, TimeoutException {
        Object answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (answer == null) {
            throw new TimeoutException();
        }
        if (!type.isInstance(answer)) {
            throw new IOException("unexpected answer from the broker: " + answer);
        }
        return type.cast(answer);
    }

    /** CONNECT (MQTT 3.1.1), with the guard's user name and password and no keep alive. */
    private MqttConnectMessage connect(String clientId, boolean cleanSession) {
        return MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                .cleanSession(cleanSession)
                .keepAlive(0)
                .username(user)
                .password(password)
                .build();
    }

    /** SUBSCRIBE (packet id 1) to {@code filters}, each at its QoS. */
    private static MqttSubscribeMessage subscribe(List<TopicFilter> filters) {
        MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(1);
        for (TopicFilter f : filters) {
            subscribe.addSubscription(MqttQoS.valueOf(f.qos()), f.filter());
        }
        return subscribe.build();
    }

    /** Hands what Moquette sends to the waiting thread; a closed connection as a message saying so. */
    private static final class Answers extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Object> answers;

        Answers(BlockingQueue<Object> answers) {
            this.answers = answers;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            answers.add(msg); // CONNACK and SUBACK hold no buffer: nothing to release
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answers.add("the connection closed");
        }
    }
}
