package io.outrigger.proxy.upstream;

import java.util.List;

/**
 * An immutable snapshot of a cluster's hosts, with the weighted round-robin schedule computed once
 * per snapshot so that picking a host takes no lock and no arithmetic beyond an index.
 *
 * <p>The schedule is nginx's smooth weighted round robin: for weights 5, 1, 1 it yields {@code a a
 * b a c a a} rather than {@code a a a a a b c}, so that a heavy host is not hit in bursts.
 */
public final class HostSet {
  /** Longest schedule kept; larger total weights are scaled down proportionally. */
  static final int MAX_SCHEDULE = 1 << 16;

  public static final HostSet EMPTY = new HostSet(List.of());

  private final List<Host> hosts;
  private final Host[] schedule;

  private HostSet(List<Host> hosts) {
    this.hosts = List.copyOf(hosts);
    this.schedule = smoothSchedule(this.hosts);
  }

  public static HostSet of(List<Host> hosts) {
    return hosts.isEmpty() ? EMPTY : new HostSet(hosts);
  }

  public List<Host> hosts() {
    return hosts;
  }

  public boolean isEmpty() {
    return hosts.isEmpty();
  }

  /** The host at position {@code n} of the round-robin schedule (any non-negative n). */
  Host scheduled(long n) {
    return schedule[(int) (n % schedule.length)];
  }

  private static Host[] smoothSchedule(List<Host> hosts) {
    if (hosts.isEmpty()) {
      return new Host[0];
    }
    int[] weights = scaledWeights(hosts);
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    Host[] out = new Host[total];
    long[] current = new long[weights.length];
    for (int slot = 0; slot < total; slot++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      out[slot] = hosts.get(best);
    }
    return out;
  }

  private static int[] scaledWeights(List<Host> hosts) {
    int gcd = 0;
    long total = 0;
    for (Host h : hosts) {
      gcd = gcd(gcd, h.weight());
      total += h.weight();
    }
    total /= gcd;
    double scale = total > MAX_SCHEDULE ? (double) MAX_SCHEDULE / total : 1.0;
    int[] weights = new int[hosts.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.max(1, (int) Math.round(hosts.get(i).weight() / gcd * scale));
    }
    return weights;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
