package io.outrigger.proxy.transport;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.StandardSocketOptions;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport: NIO by default, native epoll on request.
 *
 * <p>Why not epoll by default: Netty 4.2.18's {@code EpollIoHandler} removes a channel's file
 * descriptor from the epoll set ({@code EPOLL_CTL_DEL}) when its interest set becomes empty, but
 * keeps the registration marked as added, so the next interest change ({@code EPOLL_CTL_MOD}) fails
 * with {@code ENOENT}. The interest set becomes empty exactly when a peer has half-closed (FIN
 * clears {@code EPOLLIN} and {@code EPOLLRDHUP}) and nothing is waiting to be written; the next
 * write that fills the socket buffer then fails and Netty shuts the output, truncating the
 * response. A proxy must pass half-close through intact ({@code TcpProxyTest} covers it), so until
 * a Netty with the fix is served, epoll is opt-in: {@code -Doutrigger.transport=epoll}. The choice
 * is logged once per process. Interception does not need epoll: {@link RawSocketOptions} reads
 * {@code SO_ORIGINAL_DST} from NIO sockets too.
 */
public enum Transport {
  EPOLL(
      EpollIoHandler::newFactory,
      EpollServerSocketChannel.class,
      EpollSocketChannel.class,
      EpollDatagramChannel.class),
  NIO(
      NioIoHandler::newFactory,
      NioServerSocketChannel.class,
      NioSocketChannel.class,
      NioDatagramChannel.class);

  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  private final java.util.function.Supplier<IoHandlerFactory> ioHandlerFactory;
  private final Class<? extends ServerChannel> serverChannelType;
  private final Class<? extends Channel> channelType;
  private final Class<? extends DatagramChannel> datagramChannelType;

  Transport(
      java.util.function.Supplier<IoHandlerFactory> ioHandlerFactory,
      Class<? extends ServerChannel> serverChannelType,
      Class<? extends Channel> channelType,
      Class<? extends DatagramChannel> datagramChannelType) {
    this.ioHandlerFactory = ioHandlerFactory;
    this.serverChannelType = serverChannelType;
    this.channelType = channelType;
    this.datagramChannelType = datagramChannelType;
  }

  /** NIO unless {@code -Doutrigger.transport=epoll} asks for epoll and it loads; logged. */
  public static Transport detect() {
    String wanted = System.getProperty("outrigger.transport", "nio").toLowerCase(Locale.ROOT);
    if (!wanted.equals("epoll")) {
      log.info("transport: NIO");
      return NIO;
    }
    if (Epoll.isAvailable()) {
      log.warn(
          "transport: native epoll (-Doutrigger.transport=epoll); half-closed connections may be"
              + " truncated by a Netty 4.2.18 epoll bug, see docs/operations.md");
      return EPOLL;
    }
    log.warn(
        "transport: NIO, native epoll unavailable: {}", Epoll.unavailabilityCause().toString());
    return NIO;
  }

  /** A group of {@code threads} event loops whose threads are named {@code name-N}. */
  public EventLoopGroup newEventLoopGroup(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, false), ioHandlerFactory.get());
  }

  /**
   * A client bootstrap for a sidecar channel on {@code loop}: this transport's channel type and the
   * sidecar's buffer allocator ({@link BufferAllocators#sidecar}). Callers add their own options
   * and handler.
   */
  public Bootstrap bootstrap(EventLoop loop) {
    return new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.ALLOCATOR, BufferAllocators.sidecar());
  }

  /**
   * A server bootstrap for a sidecar listener: this transport's server channel type, and the
   * sidecar's buffer allocator for the listening channel and the channels it accepts. Callers set
   * the group, their own options and the child handler.
   */
  public ServerBootstrap serverBootstrap() {
    return new ServerBootstrap()
        .channel(serverChannelType)
        .option(ChannelOption.ALLOCATOR, BufferAllocators.sidecar())
        .childOption(ChannelOption.ALLOCATOR, BufferAllocators.sidecar());
  }

  public Class<? extends ServerChannel> serverChannelType() {
    return serverChannelType;
  }

  public Class<? extends Channel> channelType() {
    return channelType;
  }

  public Class<? extends DatagramChannel> datagramChannelType() {
    return datagramChannelType;
  }

  /**
   * Whether several server channels can share one port so that the kernel spreads accepted
   * connections over the event loops ({@code SO_REUSEPORT}): on Linux, with either transport.
   */
  public boolean supportsReusePort() {
    return this == EPOLL || REUSE_PORT_NIO;
  }

  /** Sets {@code SO_REUSEPORT} on a server bootstrap; only valid when supported. */
  public void enableReusePort(AbstractBootstrap<?, ?> bootstrap) {
    if (this == EPOLL) {
      bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
    } else if (REUSE_PORT_NIO) {
      bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    } else {
      throw new IllegalStateException("SO_REUSEPORT is not supported here");
    }
  }

  private static final boolean REUSE_PORT_NIO = nioSupportsReusePort();

  private static boolean nioSupportsReusePort() {
    try (java.nio.channels.ServerSocketChannel ch = java.nio.channels.ServerSocketChannel.open()) {
      return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
