package io.outrigger.proxy.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.api.model.LbPolicy;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.proxy.http.HttpCodecs;
import io.outrigger.proxy.http.HttpConnectionManager;
import io.outrigger.proxy.http.HttpSettings;
import io.outrigger.proxy.http.RouteResolver;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import io.outrigger.proxy.upstream.pool.PoolSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A connection manager on a real loopback socket, built from parts rather than from a bootstrap, so
 * that the HTTP data path can be tested on its own: one cluster per name, static endpoints.
 */
public final class HttpProxyFixture implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel server;
  private final ProxyStats stats = new ProxyStats();
  private final ClusterManager clusters;
  private final Map<EventLoop, PoolManager> pools = new IdentityHashMap<>();

  /**
   * @param clusterPorts cluster name → upstream ports on 127.0.0.1
   * @param http2Upstream whether the clusters speak HTTP/2 to their upstreams
   */
  public HttpProxyFixture(
      HttpSettings settings,
      RouteResolver routes,
      Map<String, List<Integer>> clusterPorts,
      boolean http2Upstream)
      throws InterruptedException {
    Transport transport = Transport.NIO;
    group = transport.newEventLoopGroup(2, "test-http");
    List<ClusterConfig> configs =
        clusterPorts.entrySet().stream()
            .map(
                e ->
                    new ClusterConfig(
                        e.getKey(),
                        DiscoveryType.STATIC,
                        Duration.ofSeconds(1),
                        LbPolicy.ROUND_ROBIN,
                        e.getValue().stream()
                            .map(
                                p -> new EndpointConfig(new SocketAddressConfig("127.0.0.1", p), 1))
                            .toList(),
                        DnsLookupFamily.V4_ONLY,
                        Duration.ofSeconds(5),
                        1024 * 1024))
            .toList();
    clusters = new ClusterManager(configs, stats, group, transport, new SplittableRandom(1));
    PoolSettings poolSettings =
        new PoolSettings(
            http2Upstream, Duration.ofMinutes(1), 0, 100, Duration.ofSeconds(1), 1024 * 1024);
    for (EventExecutor e : group) {
      pools.put((EventLoop) e, new PoolManager((EventLoop) e, transport, c -> poolSettings));
    }
    Function<EventLoop, PoolManager> byLoop = pools::get;
    HttpConnectionManager hcm =
        new HttpConnectionManager(
            settings,
            routes,
            List.of(),
            stats.http("ingress", settings.statPrefix()),
            clusters,
            byLoop,
            new SplittableRandom(7));
    server =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelType())
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, false)
            .childHandler(new HttpCodecs(hcm).initializer())
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  /**
   * Routes every request to {@code cluster}: no retries, no rewrites, no hash, the route's idle
   * timeout the listener's.
   *
   * @param timeout the route's timeout
   * @param upgradeAllowed whether an upgrade request (WebSocket) may pass
   */
  public static RouteResolver forwardAll(String cluster, Duration timeout, boolean upgradeAllowed) {
    return (req, scheme, ip) ->
        new RouteDecision.Forward(
            cluster,
            timeout,
            Duration.ZERO,
            OptionalLong.empty(),
            false,
            r -> {},
            h -> {},
            upgradeAllowed);
  }

  /**
   * Envoy's defaults ({@link HttpSettings#defaults}, stat prefix {@code ingress}) with another
   * codec and other connection and stream timeouts.
   */
  public static HttpSettings settings(
      HttpSettings.Codec codec,
      Duration idleTimeout,
      Duration streamIdleTimeout,
      Duration requestTimeout,
      Duration maxStreamDuration) {
    HttpSettings d = HttpSettings.defaults("ingress");
    return new HttpSettings(
        d.statPrefix(),
        codec,
        d.maxRequestHeadersBytes(),
        d.maxHeadersCount(),
        idleTimeout,
        streamIdleTimeout,
        requestTimeout,
        maxStreamDuration,
        d.http2MaxConcurrentStreams(),
        d.http2InitialStreamWindow(),
        d.http2InitialConnectionWindow(),
        d.useRemoteAddress(),
        d.xffNumTrustedHops(),
        d.generateRequestId(),
        d.serverName(),
        d.upgrades(),
        d.forwardClientCert(),
        d.limits(),
        d.headersWithUnderscores());
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public ProxyStats stats() {
    return stats;
  }

  public ClusterManager clusters() {
    return clusters;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    for (Map.Entry<EventLoop, PoolManager> e : pools.entrySet()) {
      e.getKey().submit(e.getValue()::closeAll).syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    stats.close();
  }
}
