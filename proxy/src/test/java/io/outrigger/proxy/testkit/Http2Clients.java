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
import java.net.SocketAddress;

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
}
