package io.outrigger.proxy.http;

import io.netty.channel.EventLoop;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.UpgradeConfig;
import io.outrigger.proxy.http.route.RouteTable;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Builds a listener's {@link HttpConnectionManager} from its validated config, once per snapshot.
 */
public final class HttpConnectionManagerFactory {
  private HttpConnectionManagerFactory() {}

  public static HttpConnectionManager create(
      HttpConnectionManagerConfig config,
      String listener,
      ProxyStats stats,
      ClusterManager clusters,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random) {
    HttpSettings settings = settings(config);
    if (!(config.routeSource() instanceof RouteSource.InlineRoutes inline)) {
      // The translator refuses RDS in a static bootstrap; xDS resolves it before we get here.
      throw new IllegalArgumentException("listener " + listener + ": routes are not resolved");
    }
    RouteResolver routes =
        new RouteTableResolver(new RouteTable(inline.routeConfig()), random, settings.upgrades());
    return new HttpConnectionManager(
        settings, routes, List.of(), stats.http(listener), clusters, pools, random);
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
        upgrades);
  }
}
