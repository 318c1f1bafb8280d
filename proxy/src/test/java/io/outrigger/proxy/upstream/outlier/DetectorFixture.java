package io.outrigger.proxy.upstream.outlier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.OutlierDetectionConfig;
import io.outrigger.api.model.UpstreamHttpOptions;
import io.outrigger.proxy.stats.OutlierDetectionStats;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.testkit.ManualScheduler;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.LbContext;
import io.outrigger.proxy.upstream.RoundRobinLoadBalancer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/** A cluster of N hosts with an outlier detector on a manual clock and a seeded random. */
final class DetectorFixture {
  final ManualScheduler scheduler = new ManualScheduler();
  final OutlierDetectionStats stats;
  final Cluster cluster;
  final OutlierDetector detector;

  DetectorFixture(int hosts, OutlierDetectionConfig config) {
    this(hosts, config, 42);
  }

  DetectorFixture(int hosts, OutlierDetectionConfig config, long seed) {
    ClusterConfig cc =
        new ClusterConfig(
            "c",
            DiscoveryType.STATIC,
            Duration.ofSeconds(1),
            LbConfig.RoundRobin.INSTANCE,
            List.of(),
            DnsLookupFamily.AUTO,
            Duration.ofSeconds(5),
            1024,
            UpstreamHttpOptions.DEFAULT,
            io.outrigger.api.model.ResourceLimitsConfig.DEFAULT,
            Optional.of(config),
            List.of(),
            ClusterConfig.DEFAULT_HEALTHY_PANIC_THRESHOLD_PERCENT);
    cluster = new Cluster(cc, new ProxyStats().cluster("c"), new RoundRobinLoadBalancer(0));
    stats = new OutlierDetectionStats(new SimpleMeterRegistry(), "c");
    detector =
        new OutlierDetector(
            config, scheduler, new SplittableRandom(seed), stats, cluster::hostHealthChanged);
    cluster.addHostSetListener(detector::onHostsChanged);
    List<Cluster.ResolvedEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      endpoints.add(
          new Cluster.ResolvedEndpoint(
              new InetSocketAddress("10.0.0." + (i + 1), 8080), "10.0.0." + (i + 1), 1));
    }
    cluster.updateHosts(endpoints);
    detector.start(cluster.hosts().hosts());
  }

  Host host(int i) {
    return cluster.hosts().hosts().get(i);
  }

  /** {@code n} answers with {@code status} from host {@code i}, then the detector's queue runs. */
  void answers(int i, int status, int n) {
    for (int k = 0; k < n; k++) {
      host(i).outlier().putHttpResponseCode(status);
    }
    scheduler.runPending();
  }

  void results(int i, OutlierResult result, int n) {
    for (int k = 0; k < n; k++) {
      host(i).outlier().putResult(result);
    }
    scheduler.runPending();
  }

  /** Every host the balancer picks in {@code n} picks. */
  Set<Host> picked(int n) {
    Set<Host> out = new HashSet<>();
    for (int k = 0; k < n; k++) {
      out.add(cluster.chooseHost(LbContext.NONE));
    }
    return out;
  }

  boolean ejected(int i) {
    return host(i).healthFlag(io.outrigger.proxy.upstream.HealthFlag.FAILED_OUTLIER_CHECK);
  }

  void advance(Duration d) {
    scheduler.advance(d);
  }
}
