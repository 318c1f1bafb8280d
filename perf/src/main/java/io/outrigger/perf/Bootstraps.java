package io.outrigger.perf;

import io.netty.channel.EventLoop;
import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.proxy.accesslog.AccessLogs;
import io.outrigger.proxy.http.HttpConnectionManager;
import io.outrigger.proxy.http.HttpConnectionManagerFactory;
import io.outrigger.proxy.overload.OverloadManager;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tracing.HttpTracer;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Builds the benchmarks' configuration the way the sidecar does: from bootstrap YAML, through the
 * loader and the translators, so that what is measured is what runs.
 */
final class Bootstraps {
  /**
   * The leak detector's sampling of {@code bin/outrigger}'s default options, for the benchmarks'
   * forked JVMs: what they measure is then what a sidecar allocates.
   */
  static final String LEAK_SAMPLING = "-Dio.netty.leakDetection.samplingInterval=1024";

  private Bootstraps() {}

  static BootstrapConfig load(String yaml) {
    try {
      return BootstrapLoader.load(yaml, "benchmark.yaml", Map.of()).config();
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The connection manager of the first listener. */
  static HttpConnectionManagerConfig connectionManager(BootstrapConfig bootstrap) {
    return (HttpConnectionManagerConfig)
        bootstrap.listeners().get(0).filterChains().get(0).terminalFilter();
  }

  /**
   * The connection manager of a listener named {@code ingress}, as the sidecar builds it, without
   * an access log, a tracer, RDS or an overload manager.
   */
  static HttpConnectionManager manager(
      HttpConnectionManagerConfig config,
      ProxyStats stats,
      ClusterManager clusters,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random) {
    return HttpConnectionManagerFactory.create(
        config,
        "ingress",
        stats,
        clusters,
        pools,
        random,
        AccessLogs.NONE,
        null,
        HttpTracer.NONE,
        OverloadManager.NONE);
  }

  static ClusterConfig cluster(BootstrapConfig bootstrap, String name) {
    return bootstrap.clusters().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** A static listener with a connection manager whose body is {@code hcm} (indented 8). */
  static String listener(String hcm) {
    return """
        static_resources:
          listeners:
          - name: ingress
            address: { socket_address: { address: 127.0.0.1, port_value: 10000 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
        """
        + hcm.indent(10);
  }
}
