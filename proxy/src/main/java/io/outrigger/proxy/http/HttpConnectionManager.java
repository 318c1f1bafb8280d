package io.outrigger.proxy.http;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.outrigger.filters.http.HttpFilterFactory;
import io.outrigger.proxy.accesslog.AccessLogs;
import io.outrigger.proxy.overload.OverloadManager;
import io.outrigger.proxy.stats.HttpConnectionManagerStats;
import io.outrigger.proxy.tracing.HttpTracer;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Envoy's {@code http_connection_manager} for one listener and one configuration snapshot:
 * everything a downstream HTTP stream needs, built once, shared by every connection of the listener
 * on every event loop. Immutable; a new snapshot builds a new one, and streams keep the one they
 * started with.
 *
 * @param settings the connection manager's settings
 * @param routes the route table
 * @param filters the HTTP filters before the router, in order
 * @param stats the listener's HTTP statistics
 * @param clusters where the router finds clusters
 * @param pools the connection pools of an event loop
 * @param random for request ids and weighted picks; must be safe to use from any event loop
 * @param accessLogs written when each stream completes; their clock stamps start times
 * @param tracer starts each stream's server span; {@link HttpTracer#NONE} without tracing
 * @param overload the sidecar's overload manager; {@link OverloadManager#NONE} without one
 */
public record HttpConnectionManager(
    HttpSettings settings,
    RouteResolver routes,
    List<HttpFilterFactory> filters,
    HttpConnectionManagerStats stats,
    ClusterManager clusters,
    Function<EventLoop, PoolManager> pools,
    RandomGenerator random,
    AccessLogs accessLogs,
    HttpTracer tracer,
    OverloadManager overload) {

  public HttpConnectionManager {
    requireNonNull(settings, "settings");
    requireNonNull(routes, "routes");
    filters = List.copyOf(filters);
    requireNonNull(stats, "stats");
    requireNonNull(clusters, "clusters");
    requireNonNull(pools, "pools");
    requireNonNull(random, "random");
    requireNonNull(accessLogs, "accessLogs");
    requireNonNull(tracer, "tracer");
    requireNonNull(overload, "overload");
  }

  /** Without an overload manager. */
  public HttpConnectionManager(
      HttpSettings settings,
      RouteResolver routes,
      List<HttpFilterFactory> filters,
      HttpConnectionManagerStats stats,
      ClusterManager clusters,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random,
      AccessLogs accessLogs,
      HttpTracer tracer) {
    this(
        settings,
        routes,
        filters,
        stats,
        clusters,
        pools,
        random,
        accessLogs,
        tracer,
        OverloadManager.NONE);
  }

  /** Without tracing. */
  public HttpConnectionManager(
      HttpSettings settings,
      RouteResolver routes,
      List<HttpFilterFactory> filters,
      HttpConnectionManagerStats stats,
      ClusterManager clusters,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random,
      AccessLogs accessLogs) {
    this(settings, routes, filters, stats, clusters, pools, random, accessLogs, HttpTracer.NONE);
  }

  /** Without access logs. */
  public HttpConnectionManager(
      HttpSettings settings,
      RouteResolver routes,
      List<HttpFilterFactory> filters,
      HttpConnectionManagerStats stats,
      ClusterManager clusters,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random) {
    this(settings, routes, filters, stats, clusters, pools, random, AccessLogs.NONE);
  }
}
