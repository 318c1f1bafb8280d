package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.outrigger.api.model.LbConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RingHashLoadBalancerTest {
  private static final int KEYS = 100_000;

  private static RingHashLoadBalancer lb(long seed) {
    return new RingHashLoadBalancer(LbConfig.RingHash.DEFAULT, new SplittableRandom(seed));
  }

  @Test
  void sameHashSameHostAcrossBalancersAndHostOrder() {
    HostSet hosts = Picks.hosts(1, 1, 1, 1, 1);
    List<Host> shuffled = new ArrayList<>(hosts.hosts());
    Collections.reverse(shuffled);
    HostSet reordered = HostSet.of(shuffled);
    RingHashLoadBalancer a = lb(1);
    RingHashLoadBalancer b = lb(2);
    SplittableRandom keys = new SplittableRandom(3);

    for (int i = 0; i < 1_000; i++) {
      LbContext context = LbContext.ofHash(keys.nextLong());
      Host first = a.choose(hosts, context);
      assertThat(a.choose(hosts, context)).isSameAs(first);
      assertThat(b.choose(reordered, context)).isSameAs(first);
    }
  }

  @Test
  void ringFollowsEnvoysSizingAndWeights() {
    HostSet equal = Picks.hosts(1, 1, 1);
    RingHashLoadBalancer.Ring ring = lb(1).ring(equal);
    // ceil(1024 / 3) = 342 points for each host
    assertThat(ring.size()).isEqualTo(1026);
    assertThat(equal.hosts()).allSatisfy(h -> assertThat(ring.pointsOf(h)).isEqualTo(342));

    HostSet weighted = Picks.hosts(1, 3);
    RingHashLoadBalancer.Ring weightedRing = lb(1).ring(weighted);
    assertThat(weightedRing.pointsOf(weighted.hosts().get(0))).isEqualTo(256);
    assertThat(weightedRing.pointsOf(weighted.hosts().get(1))).isEqualTo(768);
  }

  @Test
  void keysSpreadInProportionToWeightWithinTwoPercent() {
    HostSet hosts = Picks.hosts(1, 2, 5);
    Map<Host, Double> shares = Picks.shares(lb(4), hosts, KEYS);

    for (Host h : hosts.hosts()) {
      assertThat(shares.get(h)).isCloseTo(Picks.weightShare(hosts, h), within(0.02));
    }
  }

  @Test
  void removingOneHostOfTenMovesItsKeysAndFewOthers() {
    HostSet ten = Picks.hosts(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Host removed = ten.hosts().get(3);
    List<Host> rest = new ArrayList<>(ten.hosts());
    rest.remove(removed);
    HostSet nine = HostSet.of(rest);
    // One balancer per snapshot: a balancer keeps the ring of the snapshot it saw last, and
    // alternating two snapshots on one balancer would rebuild the ring at every pick.
    RingHashLoadBalancer lbTen = lb(1);
    RingHashLoadBalancer lbNine = lb(1);
    SplittableRandom keys = new SplittableRandom(5);

    int moved = 0;
    int movedAmongStayers = 0;
    for (int i = 0; i < KEYS; i++) {
      LbContext context = LbContext.ofHash(keys.nextLong());
      Host before = lbTen.choose(ten, context);
      Host after = lbNine.choose(nine, context);
      if (before != after) {
        moved++;
        if (before != removed) {
          movedAmongStayers++;
        }
      }
    }

    // The removed host's tenth moves. As in Envoy, the other hosts grow from ceil(1024/10) = 103
    // to ceil(1024/9) = 114 points each, and their new points take a further share.
    assertThat((double) moved / KEYS).isBetween(0.10, 0.22);
    assertThat((double) movedAmongStayers / KEYS).isLessThan(0.11);
  }

  @Test
  void ringIsBuiltOncePerSnapshotAndKeptWhenTheHostsAreTheSame() {
    HostSet hosts = Picks.hosts(1, 2);
    RingHashLoadBalancer lb = lb(6);
    RingHashLoadBalancer.Ring ring = lb.ring(hosts);
    for (int i = 0; i < 100; i++) {
      lb.choose(hosts, LbContext.ofHash(i));
    }
    assertThat(lb.ring(hosts)).isSameAs(ring);

    HostSet refreshed = HostSet.of(hosts.hosts()); // a DNS refresh that changed nothing
    assertThat(lb.ring(refreshed)).isSameAs(ring);

    HostSet changed = Picks.hosts(1, 2);
    assertThat(lb.ring(changed)).isNotSameAs(ring);
  }

  @Test
  void emptySetChoosesNothing() {
    assertThat(lb(7).choose(HostSet.EMPTY, LbContext.ofHash(42))).isNull();
    assertThat(lb(7).choose(HostSet.EMPTY, LbContext.NONE)).isNull();
  }
}
