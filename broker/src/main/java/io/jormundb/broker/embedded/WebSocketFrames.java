package io.jormundb.broker.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * MQTT over WebSockets (MQTT 3.1.1 §6): the client's binary frames are one byte stream, packets
 * may span frames and a frame may hold several, so their contents go on to the {@link PacketFilter}
 * as plain bytes; what goes back to the client is sent in binary frames. A text frame breaks the
 * protocol; an HTTP request that is not a WebSocket upgrade of {@value EmbeddedBroker#WEBSOCKET_PATH}
 * is answered 404.
 */
final class WebSocketFrames extends ChannelDuplexHandler {
    private static final byte[] NOT_FOUND = ("MQTT over WebSockets is served at " + EmbeddedBroker.WEBSOCKET_PATH + "\n")
            .getBytes(StandardCharsets.UTF_8);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof FullHttpRequest request) {
            request.release();
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(NOT_FOUND));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, NOT_FOUND.length);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new CorruptedFrameException("a " + msg.getClass().getSimpleName()
                    + " (MQTT goes in binary frames)"));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf bytes ? new BinaryWebSocketFrame(bytes) : msg, promise);
    }
}
