package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomLoadBalancerTest {
  private static final int PICKS = 100_000;

  @Test
  void picksInProportionToWeightWithinOnePercent() {
    HostSet hosts = Picks.hosts(1, 2, 7);
    Map<Host, Double> shares =
        Picks.shares(new RandomLoadBalancer(new SplittableRandom(1)), hosts, PICKS);

    for (Host h : hosts.hosts()) {
      assertThat(shares.get(h)).isCloseTo(Picks.weightShare(hosts, h), within(0.01));
    }
  }

  @Test
  void picksUniformlyWhenWeightsAreEqual() {
    HostSet hosts = Picks.hosts(3, 3, 3, 3);
    Map<Host, Double> shares =
        Picks.shares(new RandomLoadBalancer(new SplittableRandom(2)), hosts, PICKS);

    assertThat(shares.values())
        .hasSize(4)
        .allSatisfy(s -> assertThat(s).isCloseTo(0.25, within(0.01)));
  }

  @Test
  void emptySetChoosesNothing() {
    assertThat(
            new RandomLoadBalancer(new SplittableRandom(3)).choose(HostSet.EMPTY, LbContext.NONE))
        .isNull();
  }
}
