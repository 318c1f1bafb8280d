package io.outrigger.proxy.upstream;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The weights of one {@link HostSet}, prepared for weighted random picks: running sums of {@code
 * load_balancing_weight}, and whether all weights are equal (then a pick is a uniform index). Built
 * once per snapshot through {@link PerSnapshot}.
 */
final class WeightedHosts {
  private final List<Host> hosts;
  private final long[] cumulative;
  private final boolean equalWeights;

  private WeightedHosts(List<Host> hosts) {
    this.hosts = hosts;
    this.cumulative = new long[hosts.size()];
    long sum = 0;
    boolean equal = true;
    for (int i = 0; i < cumulative.length; i++) {
      int weight = hosts.get(i).weight();
      equal &= weight == hosts.get(0).weight();
      sum += weight;
      cumulative[i] = sum;
    }
    this.equalWeights = equal;
  }

  static WeightedHosts of(HostSet hosts) {
    return new WeightedHosts(hosts.hosts());
  }

  boolean equalWeights() {
    return equalWeights;
  }

  /** A host drawn with probability proportional to its weight; the set must not be empty. */
  Host pick(RandomGenerator random) {
    if (equalWeights) {
      return hosts.get(random.nextInt(hosts.size()));
    }
    long r = random.nextLong(cumulative[cumulative.length - 1]);
    // The first host whose running sum exceeds r: sums are strictly increasing (weights >= 1).
    int i = Arrays.binarySearch(cumulative, r + 1);
    return hosts.get(i >= 0 ? i : -i - 1);
  }
}
