package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.outrigger.api.model.LbConfig;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastRequestLoadBalancerTest {
  private static final int PICKS = 100_000;

  private static LeastRequestLoadBalancer lb(int choiceCount, double bias, long seed) {
    return new LeastRequestLoadBalancer(
        new LbConfig.LeastRequest(choiceCount, bias), new SplittableRandom(seed));
  }

  private static void busy(Host host, int requests) {
    for (int i = 0; i < requests; i++) {
      host.requestStarted();
    }
  }

  @Test
  void twoChoicesPreferTheIdleHost() {
    HostSet hosts = Picks.hosts(1, 1);
    Host loaded = hosts.hosts().get(0);
    Host idle = hosts.hosts().get(1);
    busy(loaded, 5);

    Map<Host, Double> shares = Picks.shares(lb(2, 1.0, 1), hosts, PICKS);

    // The loaded host wins only when both draws land on it: 1/4.
    assertThat(shares.get(idle)).isCloseTo(0.75, within(0.01));
    assertThat(shares.get(loaded)).isCloseTo(0.25, within(0.01));
  }

  @Test
  void moreChoicesAvoidTheBusyHostMore() {
    HostSet hosts = Picks.hosts(1, 1, 1);
    Host loaded = hosts.hosts().get(0);
    busy(loaded, 1);

    Map<Host, Double> shares = Picks.shares(lb(4, 1.0, 2), hosts, PICKS);

    assertThat(shares.get(loaded)).isCloseTo(Math.pow(1.0 / 3, 4), within(0.005));
  }

  @Test
  void theRequestOnItsWayMovesTheNextPick() {
    HostSet hosts = Picks.hosts(1, 1);
    LeastRequestLoadBalancer lb = lb(2, 1.0, 3);
    for (int i = 0; i < 1_000; i++) {
      lb.choose(hosts, LbContext.NONE).requestStarted();
    }

    long a = hosts.hosts().get(0).activeRequests();
    long b = hosts.hosts().get(1).activeRequests();
    assertThat(Math.abs(a - b)).isLessThanOrEqualTo(2);
  }

  @Test
  void unequalWeightsPickInProportionToWeightWhenIdle() {
    HostSet hosts = Picks.hosts(1, 3);
    Map<Host, Double> shares = Picks.shares(lb(2, 1.0, 4), hosts, PICKS);

    assertThat(shares.get(hosts.hosts().get(1))).isCloseTo(0.75, within(0.01));
  }

  @Test
  void unequalWeightsAreDividedByActiveRequestsPlusOneToTheBias() {
    HostSet hosts = Picks.hosts(1, 3);
    Host heavy = hosts.hosts().get(1);
    busy(heavy, 2); // effective weights 1/1 and 3/3 with bias 1: even

    assertThat(Picks.shares(lb(2, 1.0, 5), hosts, PICKS).get(heavy)).isCloseTo(0.5, within(0.01));
    // bias 2: 3/9 against 1, a share of 1/4
    assertThat(Picks.shares(lb(2, 2.0, 6), hosts, PICKS).get(heavy)).isCloseTo(0.25, within(0.01));
    // bias 0: active requests do not count
    assertThat(Picks.shares(lb(2, 0.0, 7), hosts, PICKS).get(heavy)).isCloseTo(0.75, within(0.01));
  }

  @Test
  void emptySetChoosesNothingAndASingleHostIsChosen() {
    assertThat(lb(2, 1.0, 8).choose(HostSet.EMPTY, LbContext.NONE)).isNull();
    HostSet one = Picks.hosts(5);
    assertThat(lb(2, 1.0, 8).choose(one, LbContext.NONE)).isSameAs(one.hosts().get(0));
  }
}
