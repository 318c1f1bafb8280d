package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.outrigger.api.model.ClusterConfig;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Owns every cluster of the sidecar: creates them from config, keeps their hosts current (DNS
 * refresh), runs their outlier detection and active health checks, and hands them to the filters
 * that connect upstream.
 *
 * <p>Each cluster gets one worker event loop as its control loop ({@link Scheduler}): its DNS
 * refresh, outlier-detection sweeps and health checks all run there, so its control state needs no
 * lock, and health-check connections are served by that loop without blocking it.
 */
public final class ClusterManager implements AutoCloseable {
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /**
   * @param configs the clusters, names unique (the translator checked)
   * @param group the event loops DNS refreshes run on
   * @param random seeds each round-robin balancer's starting point; the balancers' own draws on the
   *     event loops use {@link LoadBalancers#perThreadRandom()}
   */
  public ClusterManager(
      List<ClusterConfig> configs,
      ProxyStats stats,
      EventLoopGroup group,
      Transport transport,
      RandomGenerator random) {
    requireNonNull(random, "random");
    for (ClusterConfig config : configs) {
      Cluster cluster =
          new Cluster(
              config,
              stats.cluster(config.name()),
              LoadBalancers.create(
                  config, LoadBalancers.perThreadRandom(), random.nextLong() & Long.MAX_VALUE));
      clusters.put(config.name(), cluster);
      cluster.limits().registerGauges(stats.registry());
      EventLoop loop = group.next();
      Scheduler scheduler = Scheduler.of(loop);
      RandomGenerator clusterRandom = new SplittableRandom(random.nextLong());
      OutlierDetector detector = outlierDetector(cluster, stats, scheduler, clusterRandom);
      HealthChecker checker =
          healthChecker(cluster, stats, scheduler, clusterRandom, loop, transport);
      if (detector != null && checker != null) {
        checker.addCheckListener(detector::onHostCheckComplete);
      }
      if (config.type() == DiscoveryType.STATIC) {
        cluster.updateHosts(staticEndpoints(config));
        cluster.markInitialized();
      } else {
        DnsRefresher refresher = new DnsRefresher(cluster, loop, transport);
        closeables.add(refresher);
        refresher.start();
      }
    }
  }

  private OutlierDetector outlierDetector(
      Cluster cluster, ProxyStats stats, Scheduler scheduler, RandomGenerator random) {
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

  private HealthChecker healthChecker(
      Cluster cluster,
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
      boolean dns = cluster.config().type() != DiscoveryType.STATIC;
      return new HttpHealthProbe(
          http,
          h -> !http.host().isEmpty() ? http.host() : dns ? h.hostname() : cluster.name(),
          loop,
          transport,
          hc.timeout());
    }
    return new TcpHealthProbe(loop, transport, hc.timeout());
  }

  private static List<Cluster.ResolvedEndpoint> staticEndpoints(ClusterConfig config) {
    List<Cluster.ResolvedEndpoint> out = new ArrayList<>();
    for (EndpointConfig e : config.endpoints()) {
      InetAddress ip = DnsResolution.literal(e.address().address());
      if (ip == null) {
        // The translator refuses host names on STATIC clusters; this is a programming error.
        throw new IllegalArgumentException(
            "cluster " + config.name() + ": not an IP address: " + e.address().address());
      }
      out.add(
          new Cluster.ResolvedEndpoint(
              new InetSocketAddress(ip, e.address().port()), e.address().address(), e.weight()));
    }
    return out;
  }

  /** The cluster of that name, or {@code null}. */
  public Cluster get(String name) {
    return clusters.get(name);
  }

  public Collection<Cluster> clusters() {
    return clusters.values();
  }

  /** Completes when every cluster has initialized (see {@link Cluster#initialized()}). */
  public CompletableFuture<Void> initialized() {
    return CompletableFuture.allOf(
        clusters.values().stream().map(Cluster::initialized).toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
