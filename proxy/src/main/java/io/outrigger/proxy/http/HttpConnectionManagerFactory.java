package io.outrigger.proxy.http;

import io.netty.channel.EventLoop;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.OptionalFilterConfig;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.UpgradeConfig;
import io.outrigger.api.model.http.VirtualHost;
import io.outrigger.filters.HttpFilterFactories;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.HttpFilterFactory;
import io.outrigger.proxy.accesslog.AccessLogs;
import io.outrigger.proxy.http.route.RouteFilterConfigs;
import io.outrigger.proxy.http.route.RouteTable;
import io.outrigger.proxy.overload.OverloadManager;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tracing.HttpTracer;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Builds a listener's {@link HttpConnectionManager} from its validated config, once per snapshot.
 */
public final class HttpConnectionManagerFactory {
  private HttpConnectionManagerFactory() {}

  /**
   * @param accessLogs the connection manager's access logs
   * @param tracer the connection manager's tracer ({@link HttpTracer#NONE} without tracing)
   * @param rds where {@code rds.route_config_name} is looked up; {@code null} when there is no
   *     discovery (a static bootstrap), then {@code rds} is refused
   * @param overload the sidecar's overload manager
   * @throws IllegalArgumentException when the routes cannot be built (a {@code
   *     typed_per_filter_config} naming no filter of the chain)
   */
  public static HttpConnectionManager create(
      HttpConnectionManagerConfig config,
      String listener,
      ProxyStats stats,
      ClusterManager clusters,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random,
      AccessLogs accessLogs,
      RouteConfigProvider rds,
      HttpTracer tracer,
      OverloadManager overload) {
    HttpSettings settings = settings(config);
    FilterContext context =
        new FilterContext(config.statPrefix(), stats.filterMeters(), random, System::nanoTime);
    List<HttpFilterFactory> filters = filterFactories(config, context);
    Function<RouteConfig, RouteResolver> tables =
        rc ->
            new RouteTableResolver(
                new RouteTable(rc), random, settings.upgrades(), perFilterConfigs(rc, filters));
    RouteResolver routes;
    if (config.routeSource() instanceof RouteSource.InlineRoutes inline) {
      routes = tables.apply(inline.routeConfig());
    } else if (rds != null) {
      routes = rds.subscribe(((RouteSource.Rds) config.routeSource()).routeConfigName(), tables);
    } else {
      // The translator refuses RDS in a static bootstrap.
      throw new IllegalArgumentException("listener " + listener + ": rds needs discovery");
    }
    return new HttpConnectionManager(
        settings,
        routes,
        filters,
        stats.http(listener, config.statPrefix()),
        clusters,
        pools,
        random,
        accessLogs,
        tracer,
        overload);
  }

  /** The factories of the filters before the router, in chain order. */
  static List<HttpFilterFactory> filterFactories(
      HttpConnectionManagerConfig config, FilterContext context) {
    List<HttpFilterFactory> factories = new ArrayList<>();
    for (HttpFilterConfig filter : config.httpFilters()) {
      HttpFilterFactories.create(filter, context).ifPresent(factories::add);
    }
    return factories;
  }

  /**
   * Each route's per-filter configs, made once by the filters' factories: a virtual host's entries
   * once per virtual host (shared by its routes), a route's own entries over them.
   */
  static Map<Route, RouteFilterConfigs> perFilterConfigs(
      RouteConfig routes, List<HttpFilterFactory> filters) {
    Map<String, HttpFilterFactory> byName = new HashMap<>();
    for (HttpFilterFactory f : filters) {
      byName.putIfAbsent(f.name(), f);
    }
    Map<Route, RouteFilterConfigs> out = new IdentityHashMap<>();
    for (VirtualHost host : routes.virtualHosts()) {
      Map<String, Object> hostLevel = made(host.typedPerFilterConfig(), byName);
      for (Route route : host.routes()) {
        Map<String, Object> merged = new HashMap<>(hostLevel);
        merged.putAll(made(route.typedPerFilterConfig(), byName));
        if (!merged.isEmpty()) {
          out.put(route, RouteFilterConfigs.of(merged));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> made(
      Map<String, HttpFilterConfig> configs, Map<String, HttpFilterFactory> byName) {
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, HttpFilterConfig> e : configs.entrySet()) {
      HttpFilterFactory factory = byName.get(e.getKey());
      if (factory == null && e.getValue() instanceof OptionalFilterConfig) {
        continue; // Envoy's is_optional: an entry for a filter this chain does not have.
      }
      if (factory == null) {
        // The translator refuses this for inline routes; RDS routes reach here unchecked.
        throw new IllegalArgumentException(
            "typed_per_filter_config: no http filter named \"" + e.getKey() + "\"");
      }
      out.put(e.getKey(), factory.createRouteConfig(OptionalFilterConfig.unwrap(e.getValue())));
    }
    return out;
  }

  static HttpSettings settings(HttpConnectionManagerConfig c) {
    Set<String> upgrades =
        c.upgradeConfigs().stream()
            .filter(UpgradeConfig::enabled)
            .map(u -> u.upgradeType().toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    HttpSettings.Codec codec =
        switch (c.codecType()) {
          case HTTP1 -> HttpSettings.Codec.HTTP1;
          case HTTP2 -> HttpSettings.Codec.HTTP2;
          default -> HttpSettings.Codec.AUTO;
        };
    var common = c.commonHttpProtocolOptions();
    var h2 = c.http2ProtocolOptions();
    return new HttpSettings(
        c.statPrefix(),
        codec,
        c.maxRequestHeadersKb() * 1024,
        common.maxHeadersCount(),
        common.idleTimeout(),
        c.streamIdleTimeout(),
        c.requestTimeout(),
        common.maxStreamDuration(),
        h2.maxConcurrentStreams(),
        h2.initialStreamWindowSize(),
        h2.initialConnectionWindowSize(),
        c.useRemoteAddress(),
        c.xffNumTrustedHops(),
        c.generateRequestId(),
        c.serverName(),
        upgrades,
        c.forwardClientCert(),
        new ConnectionLimits(
            c.requestHeadersTimeout(),
            common.maxConnectionDuration(),
            common.maxRequestsPerConnection()),
        common.headersWithUnderscoresAction());
  }
}
