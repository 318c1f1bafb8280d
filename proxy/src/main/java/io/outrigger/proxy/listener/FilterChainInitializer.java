package io.outrigger.proxy.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.outrigger.api.model.FilterChainConfig;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.filters.network.NetworkFilterFactories;
import io.outrigger.filters.network.NetworkFilterFactory;
import io.outrigger.proxy.accesslog.AccessLogFactory;
import io.outrigger.proxy.accesslog.AccessLogs;
import io.outrigger.proxy.http.HttpCodecs;
import io.outrigger.proxy.http.HttpConnectionManager;
import io.outrigger.proxy.http.HttpConnectionManagerFactory;
import io.outrigger.proxy.http.RdsRouteResolver;
import io.outrigger.proxy.http.RouteConfigProvider;
import io.outrigger.proxy.stats.DownstreamConnectionStats;
import io.outrigger.proxy.stats.HttpConnectionManagerStats;
import io.outrigger.proxy.stats.ListenerStats;
import io.outrigger.proxy.stats.TcpProxyStats;
import io.outrigger.proxy.tcp.TcpProxyHandler;
import io.outrigger.proxy.tls.ServerTls;
import io.outrigger.proxy.tls.TlsManager;
import io.outrigger.proxy.tracing.TracerProviders;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds a new downstream connection's pipeline from its filter chain. It only composes: every
 * concern lives in its own handler.
 */
final class FilterChainInitializer extends ChannelInitializer<Channel> {
  private final FilterChainConfig chain;
  private final ListenerStats stats;
  private final ClusterManager clusters;
  private final Transport transport;
  private final ConnectionTracker tracker;
  private final HttpConnectionManager http;
  private final HttpConnectionManagerStats httpStats;
  private final List<NetworkFilterFactory> networkFilters = new ArrayList<>();
  private final ServerTls tls;
  private final java.util.Map<TcpProxyConfig, AccessLogs> tcpAccessLogs =
      new java.util.IdentityHashMap<>();
  private final java.util.Map<TcpProxyConfig, TcpProxyStats> tcpStats =
      new java.util.IdentityHashMap<>();

  FilterChainInitializer(
      FilterChainConfig chain,
      ListenerStats stats,
      ClusterManager clusters,
      Transport transport,
      ConnectionTracker tracker,
      HttpContext httpContext) {
    // TLS first: a certificate that cannot be loaded refuses the chain before anything else is
    // built for it.
    this.tls =
        chain.tls().map(t -> httpContext.tls().server(t, httpContext.listener())).orElse(null);
    this.chain = chain;
    this.stats = stats;
    this.clusters = clusters;
    this.transport = transport;
    this.tracker = tracker;
    HttpConnectionManager hcm = null;
    HttpConnectionManagerStats hcmStats = null;
    try {
      for (NetworkFilterConfig filter : chain.filters()) {
        if (filter instanceof HttpConnectionManagerConfig config) {
          hcm =
              HttpConnectionManagerFactory.create(
                  config,
                  httpContext.listener(),
                  httpContext.stats(),
                  clusters,
                  httpContext.pools(),
                  httpContext.random(),
                  httpContext.accessLogs().create(config.accessLog()),
                  httpContext.rds(),
                  httpContext.tracers().httpTracer(config.tracing()),
                  httpContext.overload());
          hcmStats = httpContext.stats().http(httpContext.listener(), config.statPrefix());
        } else if (filter instanceof TcpProxyConfig tcp) {
          tcpStats.put(tcp, httpContext.stats().tcpProxy(httpContext.listener(), tcp.statPrefix()));
          tcpAccessLogs.put(tcp, httpContext.accessLogs().create(tcp.accessLog()));
        } else {
          NetworkFilterFactories.create(
                  filter,
                  httpContext.listener(),
                  httpContext.stats().filterMeters(),
                  httpContext.random(),
                  httpContext.partitions())
              .ifPresent(networkFilters::add);
        }
      }
    } catch (RuntimeException e) {
      if (tls != null) {
        tls.close();
      }
      throw e;
    }
    this.http = hcm;
    this.httpStats = hcmStats;
  }

  /** What an HTTP connection manager needs from the listener that hosts it. */
  record HttpContext(
      String listener,
      io.outrigger.proxy.stats.ProxyStats stats,
      java.util.function.Function<io.netty.channel.EventLoop, PoolManager> pools,
      java.util.random.RandomGenerator random,
      AccessLogFactory accessLogs,
      RouteConfigProvider rds,
      TlsManager tls,
      TracerProviders tracers,
      io.outrigger.proxy.overload.OverloadManager overload,
      io.outrigger.filters.network.partition.PartitionBoard partitions) {}

  /**
   * Completes when the chain can take connections: at once, or once its route configuration (a
   * connection manager that uses {@code rds}) and its TLS secrets (SDS) arrived; the listener warms
   * until then.
   */
  CompletableFuture<Void> ready() {
    CompletableFuture<Void> routes =
        http != null && http.routes() instanceof RdsRouteResolver rds
            ? rds.ready()
            : CompletableFuture.completedFuture(null);
    return tls == null ? routes : CompletableFuture.allOf(routes, tls.ready());
  }

  /** The chain's configuration: its match, TLS and filters. */
  FilterChainConfig config() {
    return chain;
  }

  /** This chain version now takes connections: its network filters may publish their rules. */
  void activated() {
    networkFilters.forEach(NetworkFilterFactory::activated);
  }

  /** This chain version takes no more connections: stop following RDS and certificate updates. */
  void close() {
    if (tls != null) {
      tls.close();
    }
    if (http != null && http.routes() instanceof RdsRouteResolver rds) {
      rds.close();
    }
  }

  @Override
  protected void initChannel(Channel ch) {
    tracker.add(ch);
    installChain(ch, stats);
  }

  /**
   * Adds this chain's handlers at the end of {@code ch}'s pipeline: the connection's statistics for
   * the listener's scope ({@code listenerStats}) and, with a connection manager, for Envoy's {@code
   * http.<stat_prefix>.downstream_cx_*}; TLS when configured; then the network filters. Called when
   * the connection is accepted, or later by a {@link ListenerFilterHandler} once the first bytes
   * chose this chain.
   */
  void installChain(Channel ch, DownstreamConnectionStats listenerStats) {
    ChannelPipeline p = ch.pipeline();
    p.addLast("downstream-stats", new DownstreamStatsHandler(listenerStats, httpStats));
    if (tls != null) {
      p.addLast("tls", tls.newHandler(ch));
      p.addLast("tls-handshake", tls.newHandshakeHandler());
    }
    if (!networkFilters.isEmpty()) {
      p.addLast("network-filters", new NetworkFilterHandler(networkFilters, tls != null));
    }
    for (NetworkFilterConfig filter : chain.filters()) {
      if (filter instanceof TcpProxyConfig tcp) {
        addTcpProxy(p, tcp);
      } else if (filter instanceof HttpConnectionManagerConfig) {
        new HttpCodecs(http, tls != null).install(p, tls != null && tls.negotiatesAlpn());
      }
    }
  }

  private void addTcpProxy(ChannelPipeline p, TcpProxyConfig tcp) {
    if (!tcp.idleTimeout().isZero()) {
      p.addLast(
          "idle",
          new IdleStateHandler(true, 0, 0, tcp.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }
    p.addLast(
        "tcp-proxy",
        new TcpProxyHandler(
            tcp,
            clusters.get(tcp.cluster()),
            transport,
            tcpStats.get(tcp),
            tcpAccessLogs.get(tcp)));
  }
}
