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

class MaglevLoadBalancerTest {
  private static final int KEYS = 100_000;

  private static MaglevLoadBalancer lb(long seed) {
    return new MaglevLoadBalancer(LbConfig.Maglev.DEFAULT, new SplittableRandom(seed));
  }

  private static double tableShare(Host[] table, Host host) {
    int count = 0;
    for (Host h : table) {
      if (h == host) {
        count++;
      }
    }
    return (double) count / table.length;
  }

  @Test
  void fillsEveryEntryOfThePrimeSizedTable() {
    Host[] table = lb(1).table(Picks.hosts(1, 1, 1));

    assertThat(table).hasSize(65537).doesNotContainNull();
  }

  @Test
  void sameHashSameHostAcrossBalancersAndHostOrder() {
    HostSet hosts = Picks.hosts(1, 1, 1, 1, 1);
    List<Host> shuffled = new ArrayList<>(hosts.hosts());
    Collections.reverse(shuffled);
    MaglevLoadBalancer a = lb(1);
    MaglevLoadBalancer b = lb(2);
    SplittableRandom keys = new SplittableRandom(3);

    for (int i = 0; i < 1_000; i++) {
      LbContext context = LbContext.ofHash(keys.nextLong());
      Host first = a.choose(hosts, context);
      assertThat(a.choose(hosts, context)).isSameAs(first);
      assertThat(b.choose(HostSet.of(shuffled), context)).isSameAs(first);
    }
  }

  @Test
  void tableSharesFollowWeightsWithinOnePercent() {
    HostSet hosts = Picks.hosts(1, 2, 3, 4);
    Host[] table = lb(1).table(hosts);

    for (Host h : hosts.hosts()) {
      assertThat(tableShare(table, h)).isCloseTo(Picks.weightShare(hosts, h), within(0.01));
    }
  }

  @Test
  void picksWithoutHashFollowWeightsWithinTwoPercent() {
    HostSet hosts = Picks.hosts(1, 4);
    Map<Host, Double> shares = Picks.shares(lb(4), hosts, KEYS);

    assertThat(shares.get(hosts.hosts().get(1))).isCloseTo(0.8, within(0.02));
  }

  @Test
  void removingOneHostOfTenDisruptsLittleMoreThanItsShare() {
    HostSet ten = Picks.hosts(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Host removed = ten.hosts().get(6);
    List<Host> rest = new ArrayList<>(ten.hosts());
    rest.remove(removed);
    MaglevLoadBalancer lb = lb(1);
    Host[] before = lb.table(ten);
    Host[] after = lb.table(HostSet.of(rest));

    int moved = 0;
    int movedAmongStayers = 0;
    for (int i = 0; i < before.length; i++) {
      if (before[i] != after[i]) {
        moved++;
        if (before[i] != removed) {
          movedAmongStayers++;
        }
      }
    }

    // Every entry of the removed host moves (a tenth); Maglev trades a few more moves for its
    // even spread, far fewer than a rehash (which would move 90%).
    assertThat((double) moved / before.length).isBetween(0.10, 0.15);
    assertThat((double) movedAmongStayers / before.length).isLessThan(0.05);
  }

  @Test
  void tableIsBuiltOncePerSnapshotAndKeptWhenTheHostsAreTheSame() {
    HostSet hosts = Picks.hosts(1, 1);
    MaglevLoadBalancer lb = lb(5);
    Host[] table = lb.table(hosts);
    for (int i = 0; i < 100; i++) {
      lb.choose(hosts, LbContext.ofHash(i));
    }
    assertThat(lb.table(hosts)).isSameAs(table);
    assertThat(lb.table(HostSet.of(hosts.hosts()))).isSameAs(table);
    assertThat(lb.table(Picks.hosts(1, 1))).isNotSameAs(table);
  }

  @Test
  void emptySetChoosesNothing() {
    assertThat(lb(6).choose(HostSet.EMPTY, LbContext.ofHash(42))).isNull();
    assertThat(lb(6).choose(HostSet.EMPTY, LbContext.NONE)).isNull();
  }
}
