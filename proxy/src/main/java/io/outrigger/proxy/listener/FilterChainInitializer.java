package io.outrigger.proxy.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.outrigger.api.model.FilterChainConfig;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.proxy.accesslog.AccessLogFactory;
import io.outrigger.proxy.accesslog.AccessLogs;
import io.outrigger.proxy.http.HttpCodecs;
import io.outrigger.proxy.http.HttpConnectionManager;
import io.outrigger.proxy.http.HttpConnectionManagerFactory;
import io.outrigger.proxy.http.RdsRouteResolver;
import io.outrigger.proxy.http.RouteConfigProvider;
import io.outrigger.proxy.stats.ListenerStats;
import io.outrigger.proxy.tcp.TcpProxyHandler;
import io.outrigger.proxy.tracing.TracerProviders;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
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
  private final java.util.Map<TcpProxyConfig, AccessLogs> tcpAccessLogs =
      new java.util.IdentityHashMap<>();

  FilterChainInitializer(
      FilterChainConfig chain,
      ListenerStats stats,
      ClusterManager clusters,
      Transport transport,
      ConnectionTracker tracker,
      HttpContext httpContext) {
    this.chain = chain;
    this.stats = stats;
    this.clusters = clusters;
    this.transport = transport;
    this.tracker = tracker;
    HttpConnectionManager hcm = null;
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
                httpContext.tracers().httpTracer(config.tracing()));
      } else if (filter instanceof TcpProxyConfig tcp) {
        tcpAccessLogs.put(tcp, httpContext.accessLogs().create(tcp.accessLog()));
      }
    }
    this.http = hcm;
  }

  /** What an HTTP connection manager needs from the listener that hosts it. */
  record HttpContext(
      String listener,
      io.outrigger.proxy.stats.ProxyStats stats,
      java.util.function.Function<io.netty.channel.EventLoop, PoolManager> pools,
      java.util.random.RandomGenerator random,
      AccessLogFactory accessLogs,
      RouteConfigProvider rds,
      TracerProviders tracers) {}

  /**
   * Completes when the chain can take connections: at once, or for a connection manager that uses
   * {@code rds} once its route configuration arrived (the listener warms until then).
   */
  CompletableFuture<Void> ready() {
    return http != null && http.routes() instanceof RdsRouteResolver rds
        ? rds.ready()
        : CompletableFuture.completedFuture(null);
  }

  /** This chain version takes no more connections: stop following RDS updates. */
  void close() {
    if (http != null && http.routes() instanceof RdsRouteResolver rds) {
      rds.close();
    }
  }

  @Override
  protected void initChannel(Channel ch) {
    tracker.add(ch);
    ChannelPipeline p = ch.pipeline();
    p.addLast("downstream-stats", new DownstreamStatsHandler(stats));
    for (NetworkFilterConfig filter : chain.filters()) {
      if (filter instanceof TcpProxyConfig tcp) {
        addTcpProxy(p, tcp);
      } else if (filter instanceof HttpConnectionManagerConfig) {
        new HttpCodecs(http).install(p);
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
            tcp, clusters.get(tcp.cluster()), transport, stats, tcpAccessLogs.get(tcp)));
  }
}
