package io.outrigger.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reads a real socket's options through {@link RawSocketOptions} on both transports, and checks
 * that they are the accepted socket's own (set through the channel, read back raw) and that the
 * socket stays open and usable afterwards.
 */
class RawSocketOptionsTest {
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_NODELAY = 1;

  private EventLoopGroup group;
  private Channel server;
  private Channel client;

  @AfterEach
  void close() throws Exception {
    if (client != null) {
      client.close().sync();
    }
    if (server != null) {
      server.close().sync();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** NIO must work here (the build exports sun.nio.ch as the jar does); epoll where it loads. */
  private static void usable(Transport transport) {
    if (transport == Transport.EPOLL) {
      assumeThat(Epoll.isAvailable()).as("native epoll").isTrue();
    }
    assertThat(RawSocketOptions.unavailableOn(transport)).isNull();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void readsTheAcceptedSocketsOwnOptionAndLeavesItOpen(Transport transport) throws Exception {
    usable(transport);
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    group = transport.newEventLoopGroup(1, "raw-opt-test");
    server =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelType())
            .childHandler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelActive(ChannelHandlerContext ctx) {
                    accepted.complete(ctx.channel());
                  }

                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ctx.writeAndFlush(msg); // echo
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    CompletableFuture<String> echoed = new CompletableFuture<>();
    client =
        new Bootstrap()
            .group(group)
            .channel(transport.channelType())
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new SimpleChannelInboundHandler<ByteBuf>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                echoed.complete(msg.toString(StandardCharsets.US_ASCII));
                              }
                            });
                  }
                })
            .connect(server.localAddress())
            .sync()
            .channel();
    Channel child = accepted.get(5, TimeUnit.SECONDS);

    // Netty's socket configuration turns Nagle off on every accepted socket by itself: the
    // listeners rely on it instead of setting TCP_NODELAY a second time per connection.
    assertThat(rawNoDelay(child)).isTrue();
    for (boolean noDelay : new boolean[] {false, true}) {
      child.config().setOption(ChannelOption.TCP_NODELAY, noDelay);
      assertThat(rawNoDelay(child)).isEqualTo(noDelay);
    }

    // The descriptor was borrowed, not taken over: the connection still carries bytes.
    client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII)).sync();
    assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
    assertThat(child.isActive()).isTrue();
  }

  private static boolean rawNoDelay(Channel child) throws Exception {
    ByteBuffer raw =
        child
            .eventLoop()
            .submit(() -> RawSocketOptions.get(child, IPPROTO_TCP, TCP_NODELAY, 4))
            .get(5, TimeUnit.SECONDS);
    assertThat(raw.remaining()).isEqualTo(4);
    return raw.order(ByteOrder.nativeOrder()).getInt(0) != 0;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aKernelRefusalIsAnIoExceptionNotACrash(Transport transport) throws Exception {
    usable(transport);
    group = transport.newEventLoopGroup(1, "raw-opt-test");
    server =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelType())
            .childHandler(new ChannelInboundHandlerAdapter())
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    client =
        new Bootstrap()
            .group(group)
            .channel(transport.channelType())
            .handler(new ChannelInboundHandlerAdapter())
            .connect(server.localAddress())
            .sync()
            .channel();
    // An option number no protocol level knows: the kernel answers ENOPROTOOPT.
    Throwable thrown =
        client
            .eventLoop()
            .submit(
                () -> {
                  try {
                    RawSocketOptions.get(client, IPPROTO_TCP, 9999, 4);
                    return null;
                  } catch (java.io.IOException e) {
                    return e;
                  }
                })
            .get(5, TimeUnit.SECONDS);
    assertThat(thrown).isInstanceOf(java.io.IOException.class);
    assertThat(client.isActive()).isTrue();
  }
}
