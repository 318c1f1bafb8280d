package io.outrigger.proxy.listener;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.proxy.accesslog.AccessLogFactory;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the listeners and accepts their connections.
 *
 * <p>With epoll every listener gets one server socket per event loop, all bound to the same port
 * with {@code SO_REUSEPORT}: the kernel spreads new connections over the loops and a connection
 * stays on the loop that accepted it, with its upstream. With NIO one server socket feeds all
 * loops.
 */
public final class ListenerManager {
  private static final Logger log = LoggerFactory.getLogger(ListenerManager.class);

  private final Transport transport;
  private final EventLoopGroup workers;
  private final ClusterManager clusters;
  private final ProxyStats stats;
  private final ConnectionTracker connections = new ConnectionTracker();
  private final Map<String, ActiveListener> active = new LinkedHashMap<>();

  public ListenerManager(
      Transport transport,
      EventLoopGroup workers,
      ClusterManager clusters,
      ProxyStats stats,
      java.util.function.Function<
              io.netty.channel.EventLoop, io.outrigger.proxy.upstream.pool.PoolManager>
          pools,
      java.util.random.RandomGenerator random,
      AccessLogFactory accessLogs) {
    this.accessLogs = requireNonNull(accessLogs, "accessLogs");
    this.transport = requireNonNull(transport, "transport");
    this.workers = requireNonNull(workers, "workers");
    this.clusters = requireNonNull(clusters, "clusters");
    this.stats = requireNonNull(stats, "stats");
    this.pools = requireNonNull(pools, "pools");
    this.random = requireNonNull(random, "random");
  }

  private final java.util.function.Function<
          io.netty.channel.EventLoop, io.outrigger.proxy.upstream.pool.PoolManager>
      pools;
  private final java.util.random.RandomGenerator random;
  private final AccessLogFactory accessLogs;

  /**
   * Binds a listener, blocking the calling thread (never an event loop) until it is bound.
   *
   * @throws BindException naming the listener and the address when the bind fails
   */
  public synchronized ActiveListener bind(ListenerConfig config) throws BindException {
    ServerBootstrap template = serverBootstrap(config);
    List<Channel> channels = new ArrayList<>();
    InetSocketAddress requested =
        new InetSocketAddress(config.address().address(), config.address().port());
    try {
      if (transport.supportsReusePort()) {
        transport.enableReusePort(template);
        InetSocketAddress bound = requested;
        for (EventExecutor loop : workers) {
          EventLoop el = (EventLoop) loop;
          Channel ch = template.clone().group(el, el).bind(bound).sync().channel();
          channels.add(ch);
          bound = (InetSocketAddress) ch.localAddress();
        }
      } else {
        channels.add(template.group(workers, workers).bind(requested).sync().channel());
      }
    } catch (Exception e) {
      channels.forEach(Channel::close);
      throw new BindException(
          "listener " + config.name() + ": cannot bind " + config.address() + ": " + e, e);
    }
    InetSocketAddress bound = (InetSocketAddress) channels.get(0).localAddress();
    ActiveListener listener = new ActiveListener(config, bound, channels);
    active.put(config.name(), listener);
    log.info("listener {} bound to {} ({} socket(s))", config.name(), bound, channels.size());
    return listener;
  }

  private ServerBootstrap serverBootstrap(ListenerConfig config) {
    int limit = config.perConnectionBufferLimitBytes();
    return new ServerBootstrap()
        .channel(transport.serverChannelType())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(Math.max(1, limit / 2), limit))
        .childHandler(
            new FilterChainInitializer(
                config.defaultFilterChain(),
                stats.listener(config.name()),
                clusters,
                transport,
                connections,
                new FilterChainInitializer.HttpContext(
                    config.name(), stats, pools, random, accessLogs)));
  }

  public synchronized Collection<ActiveListener> listeners() {
    return List.copyOf(active.values());
  }

  /**
   * Stops accepting on every listener; open connections are left alone. Does not block: the
   * returned future completes when every server socket is closed.
   */
  public synchronized CompletableFuture<Void> stopAccepting() {
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    for (ActiveListener l : active.values()) {
      for (Channel ch : l.serverChannels()) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ch.close().addListener(x -> f.complete(null));
        closed.add(f);
      }
    }
    return CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new));
  }

  public ConnectionTracker connections() {
    return connections;
  }

  /** A listener could not be bound; the message names it and its address. */
  public static final class BindException extends Exception {
    private static final long serialVersionUID = 1L;

    BindException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
