package io.outrigger.proxy.testkit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.function.Consumer;

/** HTTP/2 client connections for tests: prior knowledge, cleartext, streams opened by the test. */
public final class Http2Clients {
  private Http2Clients() {}

  /**
   * A connected prior-knowledge HTTP/2 connection to {@code to}: Netty's client frame codec and a
   * multiplexer, on which the test opens streams with {@code Http2StreamChannelBootstrap}. {@code
   * connectionHandlers} go after the multiplexer, where they see the connection's frames (GOAWAY,
   * SETTINGS…).
   */
  public static Channel connect(
      EventLoopGroup group, SocketAddress to, ChannelHandler... connectionHandlers)
      throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(Http2FrameCodecBuilder.forClient().build())
                    .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                    .addLast(connectionHandlers);
              }
            })
        .connect(to)
        .sync()
        .channel();
  }

  /**
   * Opens a stream on a {@link #connect}ed connection. Each frame the sidecar sends on it goes to
   * {@code onFrame}, on the connection's event loop, and is released after it.
   */
  public static Http2StreamChannel openStream(Channel connection, Consumer<Object> onFrame)
      throws InterruptedException {
    return new Http2StreamChannelBootstrap(connection)
        .handler(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                try {
                  onFrame.accept(msg);
                } finally {
                  ReferenceCountUtil.release(msg);
                }
              }
            })
        .open()
        .sync()
        .getNow();
  }
}
