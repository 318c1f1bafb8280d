package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.UpstreamHttpOptions;
import io.outrigger.proxy.stats.ProxyStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterHealthTest {
  private final ProxyStats stats = new ProxyStats();

  private Cluster cluster(int hosts, double panicThreshold) {
    ClusterConfig config =
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
            Optional.empty(),
            List.of(),
            panicThreshold);
    Cluster c = new Cluster(config, stats.cluster("c"), new RoundRobinLoadBalancer(0));
    List<Cluster.ResolvedEndpoint> endpoints = new ArrayList<>();
    for (int i = 1; i <= hosts; i++) {
      endpoints.add(
          new Cluster.ResolvedEndpoint(new InetSocketAddress("10.0.0." + i, 80), "h" + i, 1));
    }
    c.updateHosts(endpoints);
    return c;
  }

  private static Set<Host> picks(Cluster c, int n) {
    Set<Host> out = new HashSet<>();
    for (int i = 0; i < n; i++) {
      out.add(c.chooseHost(LbContext.NONE));
    }
    return out;
  }

  private static void fail(Cluster c, int... indexes) {
    for (int i : indexes) {
      c.hosts().hosts().get(i).setHealthFlag(HealthFlag.FAILED_OUTLIER_CHECK);
    }
    c.hostHealthChanged();
  }

  private double panicCount() {
    return stats.registry().get("lb_healthy_panic").tag("cluster", "c").counter().count();
  }

  @Test
  void unhealthyHostsAreNotChosen() {
    Cluster c = cluster(4, 50);

    fail(c, 0, 1);

    assertThat(c.inPanic()).isFalse();
    assertThat(picks(c, 100))
        .containsExactlyInAnyOrder(c.hosts().hosts().get(2), c.hosts().hosts().get(3));
    assertThat(panicCount()).isZero();
  }

  @Test
  void panicThresholdBalancesOverAllHosts() {
    Cluster c = cluster(4, 50);

    fail(c, 0, 1, 2); // 25 % healthy < 50 %

    assertThat(c.inPanic()).isTrue();
    assertThat(picks(c, 100)).hasSize(4);
    assertThat(panicCount()).isEqualTo(100);
  }

  @Test
  void zeroPanicThresholdChoosesNothingWhenNoHostIsHealthy() {
    Cluster c = cluster(2, 0);

    fail(c, 0, 1);

    assertThat(c.inPanic()).isFalse();
    assertThat(c.chooseHost(LbContext.NONE)).isNull();
  }

  @Test
  void hostsComeBackWhenTheirFlagsClear() {
    Cluster c = cluster(4, 50);
    fail(c, 0);
    assertThat(c.healthyHosts().hosts()).hasSize(3);

    c.hosts().hosts().get(0).clearHealthFlag(HealthFlag.FAILED_OUTLIER_CHECK);
    c.hostHealthChanged();

    assertThat(c.healthyHosts()).isSameAs(c.hosts());
    assertThat(stats.registry().get("membership_healthy").tag("cluster", "c").gauge().value())
        .isEqualTo(4);
  }

  @Test
  void aListenerFlagsNewHostsBeforeTheSnapshotIsPublished() {
    Cluster c = cluster(0, 0);
    c.addHostSetListener(
        (added, removed) -> added.forEach(h -> h.setHealthFlag(HealthFlag.FAILED_ACTIVE_HC)));

    c.updateHosts(
        List.of(new Cluster.ResolvedEndpoint(new InetSocketAddress("10.0.0.9", 80), "h", 1)));

    assertThat(c.hosts().hosts()).hasSize(1);
    assertThat(c.healthyHosts().isEmpty()).isTrue();
    assertThat(c.chooseHost(LbContext.NONE)).isNull();
  }
}
