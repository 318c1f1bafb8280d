package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.LbPolicy;
import io.outrigger.api.model.UpstreamHttpOptions;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadBalancersTest {
  private static ClusterConfig cluster(LbConfig lb) {
    return new ClusterConfig(
        "c",
        DiscoveryType.STATIC,
        Duration.ofSeconds(1),
        lb,
        List.of(),
        DnsLookupFamily.AUTO,
        Duration.ofSeconds(5),
        1024,
        UpstreamHttpOptions.DEFAULT);
  }

  @Test
  void createsTheBalancerOfEachPolicy() {
    SplittableRandom random = new SplittableRandom(1);
    assertThat(LoadBalancers.create(cluster(LbConfig.RoundRobin.INSTANCE), random, 0))
        .isInstanceOf(RoundRobinLoadBalancer.class);
    assertThat(LoadBalancers.create(cluster(LbConfig.LeastRequest.DEFAULT), random, 0))
        .isInstanceOf(LeastRequestLoadBalancer.class);
    assertThat(LoadBalancers.create(cluster(LbConfig.Random.INSTANCE), random, 0))
        .isInstanceOf(RandomLoadBalancer.class);
    assertThat(LoadBalancers.create(cluster(LbConfig.RingHash.DEFAULT), random, 0))
        .isInstanceOf(RingHashLoadBalancer.class);
    assertThat(LoadBalancers.create(cluster(LbConfig.Maglev.DEFAULT), random, 0))
        .isInstanceOf(MaglevLoadBalancer.class);
    for (LbPolicy policy : LbPolicy.values()) {
      assertThat(LoadBalancers.create(cluster(LbConfig.defaults(policy)), random, 0)).isNotNull();
    }
  }

  @Test
  void perThreadRandomPicksFromEveryHost() {
    HostSet hosts = Picks.hosts(1, 1, 1);
    LoadBalancer lb = new RandomLoadBalancer(LoadBalancers.perThreadRandom());

    assertThat(Picks.shares(lb, hosts, 3_000)).hasSize(3);
  }
}
