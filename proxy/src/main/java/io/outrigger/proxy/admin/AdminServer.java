package io.outrigger.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin HTTP server: a small HTTP/1.1 server on its own event loop, so that a busy data path
 * never delays {@code /ready} or a scrape, and a slow scrape never delays traffic.
 */
public final class AdminServer implements AutoCloseable {
  /** Admin requests are small; anything larger is refused with 413. */
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final Channel channel;

  private AdminServer(Channel channel) {
    this.channel = channel;
  }

  /**
   * Binds the admin server, blocking the calling thread (not an event loop) until bound.
   *
   * @throws IllegalStateException naming the address when it cannot bind
   */
  public static AdminServer bind(
      SocketAddressConfig address, List<AdminRoute> routes, EventLoopGroup group, Transport t) {
    Map<String, AdminRoute> byPath = new LinkedHashMap<>();
    routes.forEach(r -> byPath.put(r.path(), r));
    AdminHandler handler = new AdminHandler(byPath);
    ServerBootstrap b =
        t.serverBootstrap()
            .group(group)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(60))
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(handler);
                  }
                });
    try {
      Channel ch =
          b.bind(new InetSocketAddress(address.address(), address.port())).sync().channel();
      return new AdminServer(ch);
    } catch (Exception e) {
      throw new IllegalStateException("admin: cannot bind " + address + ": " + e, e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close();
  }
}
