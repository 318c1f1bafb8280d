package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostSetTest {
  private static Host host(int port, int weight) {
    return new Host(new InetSocketAddress("127.0.0.1", port), "127.0.0.1", weight);
  }

  private static List<Integer> picks(LoadBalancer lb, HostSet set, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(lb.choose(set, LbContext.NONE).address().getPort());
    }
    return out;
  }

  @Test
  void smoothWeightedRoundRobinInterleavesTheHeavyHost() {
    HostSet set = HostSet.of(List.of(host(1, 5), host(2, 1), host(3, 1)));
    assertThat(picks(new RoundRobinLoadBalancer(0), set, 7)).containsExactly(1, 1, 2, 1, 3, 1, 1);
  }

  @Test
  void equalWeightsAlternate() {
    HostSet set = HostSet.of(List.of(host(1, 1), host(2, 1)));
    assertThat(picks(new RoundRobinLoadBalancer(0), set, 4)).containsExactly(1, 2, 1, 2);
  }

  @Test
  void hugeWeightsAreScaledButKeepTheirProportion() {
    HostSet set = HostSet.of(List.of(host(1, 3_000_000), host(2, 1_000_000), host(3, 7)));
    Map<Integer, Integer> counts = new HashMap<>();
    picks(new RoundRobinLoadBalancer(0), set, HostSet.MAX_SCHEDULE)
        .forEach(p -> counts.merge(p, 1, Integer::sum));
    assertThat((double) counts.get(1) / counts.get(2))
        .isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts.get(3)).isPositive();
  }

  @Test
  void emptySetChoosesNothing() {
    assertThat(new RoundRobinLoadBalancer(0).choose(HostSet.EMPTY, LbContext.NONE)).isNull();
  }

  @Test
  void updateKeepsHostObjectsAndTheirCounters() {
    Cluster cluster =
        new Cluster(
            new io.outrigger.api.model.ClusterConfig(
                "c",
                io.outrigger.api.model.DiscoveryType.STRICT_DNS,
                java.time.Duration.ofSeconds(1),
                io.outrigger.api.model.LbPolicy.ROUND_ROBIN,
                List.of(),
                io.outrigger.api.model.DnsLookupFamily.V4_ONLY,
                java.time.Duration.ofSeconds(5),
                1024),
            new io.outrigger.proxy.stats.ProxyStats().cluster("c"),
            new RoundRobinLoadBalancer(0));
    InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1);
    InetSocketAddress b = new InetSocketAddress("127.0.0.1", 2);
    cluster.updateHosts(List.of(new Cluster.ResolvedEndpoint(a, "x", 1)));
    Host first = cluster.hosts().hosts().get(0);
    first.connectionOpened();
    cluster.updateHosts(
        List.of(new Cluster.ResolvedEndpoint(a, "x", 1), new Cluster.ResolvedEndpoint(b, "x", 1)));
    assertThat(cluster.hosts().hosts().get(0)).isSameAs(first);
    assertThat(cluster.hosts().hosts().get(0).totalConnections()).isEqualTo(1);
    assertThat(cluster.hosts().hosts()).hasSize(2);
  }
}
