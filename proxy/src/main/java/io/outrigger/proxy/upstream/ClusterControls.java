package io.outrigger.proxy.upstream;

import io.netty.channel.EventLoop;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.health.HealthChecker;
import io.outrigger.proxy.upstream.health.HealthProbe;
import io.outrigger.proxy.upstream.health.HttpHealthProbe;
import io.outrigger.proxy.upstream.health.TcpHealthProbe;
import io.outrigger.proxy.upstream.outlier.OutlierDetector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What runs beside one cluster on its control loop — outlier detection, active health checks — and
 * the static and EDS hosts, made for {@link ClusterManager}. Everything started is added to the
 * cluster's {@code closeables}, which are closed when the cluster is retired.
 */
final class ClusterControls {
  private ClusterControls() {}

  /** The cluster's outlier detector, started, or {@code null} when it has none. */
  static OutlierDetector outlierDetector(
      Cluster cluster,
      List<AutoCloseable> closeables,
      ProxyStats stats,
      Scheduler scheduler,
      RandomGenerator random) {
    return cluster
        .config()
        .outlierDetection()
        .map(
            od -> {
              OutlierDetector d =
                  new OutlierDetector(
                      od,
                      scheduler,
                      random,
                      stats.outlierDetection(cluster.name()),
                      cluster::hostHealthChanged);
              cluster.addHostSetListener(d::onHostsChanged);
              d.start(cluster.hosts().hosts());
              closeables.add(d);
              return d;
            })
        .orElse(null);
  }

  /** The cluster's active health checker, or {@code null} when it has none. */
  static HealthChecker healthChecker(
      Cluster cluster,
      List<AutoCloseable> closeables,
      ProxyStats stats,
      Scheduler scheduler,
      RandomGenerator random,
      EventLoop loop,
      Transport transport) {
    if (cluster.config().healthChecks().isEmpty()) {
      return null;
    }
    HealthCheckConfig hc = cluster.config().healthChecks().get(0);
    HealthChecker checker =
        new HealthChecker(
            hc,
            scheduler,
            random,
            probe(cluster, hc, loop, transport),
            stats.healthCheck(cluster.name()),
            cluster::hasCarriedTraffic,
            cluster::hostHealthChanged);
    cluster.addHostSetListener(checker::onHostsChanged);
    cluster.warmUpWith(checker::firstRound);
    closeables.add(checker);
    return checker;
  }

  private static HealthProbe probe(
      Cluster cluster, HealthCheckConfig hc, EventLoop loop, Transport transport) {
    if (hc.checker() instanceof HealthCheckConfig.HttpCheck http) {
      // Envoy: the configured host, else the host's name (DNS clusters), else the cluster's name.
      DiscoveryType type = cluster.config().type();
      boolean dns = type == DiscoveryType.STRICT_DNS || type == DiscoveryType.LOGICAL_DNS;
      return new HttpHealthProbe(
          http,
          h -> !http.host().isEmpty() ? http.host() : dns ? h.hostname() : cluster.name(),
          loop,
          transport,
          hc.timeout());
    }
    return new TcpHealthProbe(loop, transport, hc.timeout());
  }

  /** Endpoints whose addresses are IP literals, as hosts. */
  static List<Cluster.ResolvedEndpoint> literalEndpoints(
      String cluster, List<EndpointConfig> endpoints) {
    List<Cluster.ResolvedEndpoint> out = new ArrayList<>();
    for (EndpointConfig e : endpoints) {
      InetAddress ip = DnsResolution.literal(e.address().address());
      if (ip == null) {
        // The translators refuse host names on STATIC clusters and in EDS: a programming error.
        throw new IllegalArgumentException(
            "cluster " + cluster + ": not an IP address: " + e.address().address());
      }
      out.add(
          new Cluster.ResolvedEndpoint(
              new InetSocketAddress(ip, e.address().port()), e.address().address(), e.weight()));
    }
    return out;
  }
}
