package io.jormundb.broker.embedded;

import io.jormundb.broker.topic.MqttTopics;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The public MQTT port in front of the embedded broker. Moquette 0.17 publishes a client's will
 * message without asking its authorization policy, so a client could otherwise get a will
 * delivered under {@code jormundb/}. The guard reads each connection's CONNECT packet: one whose
 * will topic is reserved is answered CONNACK "not authorized" (return code 5) and closed; every
 * other connection is relayed byte for byte, with backpressure both ways, to Moquette on a
 * loopback port. Everything else (authentication, topics, sessions) stays Moquette's.
 */
final class ConnectGuard implements AutoCloseable {
    /** A CONNECT larger than this is not a CONNECT worth reading. */
    private static final int MAX_CONNECT_BYTES = 64 * 1024;
    private static final int CONNECT = 1;
    private static final int WILL_FLAG = 0x04;
    private static final byte[] CONNACK_NOT_AUTHORIZED = {0x20, 0x02, 0x00, 0x05};

    private final EventLoopGroup group;
    private final Channel server;

    private ConnectGuard(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Listens on {@code host:port} and relays to {@code 127.0.0.1:backendPort}. */
    static ConnectGuard start(String host, int port, int backendPort) {
        EventLoopGroup group = new NioEventLoopGroup(2, Thread.ofPlatform().name("jormundb-mqtt-guard-", 0)
                .daemon(true).factory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.AUTO_READ, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Front(backendPort));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new ConnectGuard(group, server);
        } catch (InterruptedException e) {
            group.shutdownGracefully();
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while binding " + host + ":" + port));
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw new UncheckedIOException(new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e));
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection: reads its CONNECT, then relays to the broker. */
    private static final class Front extends ChannelInboundHandlerAdapter {
        private final int backendPort;
        /** Bytes read before the broker connection is up; {@code null} once they went to it. */
        private ByteBuf pending = Unpooled.buffer(256);
        private boolean connecting;
        private Channel backend;

        Front(int backendPort) {
            this.backendPort = backendPort;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (pending == null) {
                relay(backend, ctx.channel(), in);
                return;
            }
            pending.writeBytes(in);
            in.release();
            if (connecting) {
                return;
            }
            switch (inspect(pending)) {
                case INCOMPLETE -> {
                    if (pending.readableBytes() > MAX_CONNECT_BYTES) {
                        ctx.close();
                    }
                }
                case REFUSED -> ctx.writeAndFlush(Unpooled.wrappedBuffer(CONNACK_NOT_AUTHORIZED))
                        .addListener(ChannelFutureListener.CLOSE);
                case ALLOWED -> connect(ctx);
            }
        }

        private void connect(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            connecting = true;
            front.config().setAutoRead(false);
            new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Back(front))
                    .connect("127.0.0.1", backendPort)
                    .addListener((ChannelFutureListener) future -> {
                        if (!future.isSuccess() || pending == null) {
                            future.channel().close();
                            front.close();
                            return;
                        }
                        backend = future.channel();
                        ByteBuf first = pending;
                        pending = null;
                        backend.writeAndFlush(first);
                        front.config().setAutoRead(true);
                    });
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (backend != null) {
                backend.config().setAutoRead(ctx.channel().isWritable());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            closeAfterFlush(backend);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The broker side of one relayed connection. */
    private static final class Back extends ChannelInboundHandlerAdapter {
        private final Channel front;

        Back(Channel front) {
            this.front = front;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(front, ctx.channel(), (ByteBuf) msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            front.config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeAfterFlush(front);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes {@code msg} to {@code to}; stops reading {@code from} while {@code to} is full. */
    private static void relay(Channel to, Channel from, ByteBuf msg) {
        to.writeAndFlush(msg);
        if (!to.isWritable()) {
            from.config().setAutoRead(false);
        }
    }

    private static void closeAfterFlush(Channel channel) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    enum Verdict { INCOMPLETE, ALLOWED, REFUSED }

    /**
     * Reads the first packet in {@code buf} (without consuming it). Anything that is not a
     * well-formed MQTT 3.x CONNECT is left for the broker to refuse; MQTT 5 (whose CONNECT carries
     * properties) is refused by Moquette 0.17 anyway.
     */
    static Verdict inspect(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        if (end - i < 2) {
            return Verdict.INCOMPLETE;
        }
        if ((buf.getUnsignedByte(i) >> 4) != CONNECT) {
            return Verdict.ALLOWED;
        }
        int remaining = 0;
        int shift = 0;
        int p = i + 1;
        while (true) {
            if (p >= end) {
                return Verdict.INCOMPLETE;
            }
            int b = buf.getUnsignedByte(p++);
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 21) {
                return Verdict.ALLOWED;
            }
        }
        if (end - p < remaining) {
            return Verdict.INCOMPLETE;
        }
        int packetEnd = p + remaining;
        try {
            int protocolNameLength = buf.getUnsignedShort(p);
            p += 2 + protocolNameLength;
            int level = buf.getUnsignedByte(p++);
            int flags = buf.getUnsignedByte(p++);
            p += 2;
            if (level > 4 || (flags & WILL_FLAG) == 0) {
                return Verdict.ALLOWED;
            }
            int clientIdLength = buf.getUnsignedShort(p);
            p += 2 + clientIdLength;
            int willTopicLength = buf.getUnsignedShort(p);
            p += 2;
            if (p + willTopicLength > packetEnd) {
                return Verdict.ALLOWED;
            }
            String willTopic = buf.toString(p, willTopicLength, StandardCharsets.UTF_8);
            return MqttTopics.isReserved(willTopic) ? Verdict.REFUSED : Verdict.ALLOWED;
        } catch (IndexOutOfBoundsException e) {
            return Verdict.ALLOWED;
        }
    }
}
