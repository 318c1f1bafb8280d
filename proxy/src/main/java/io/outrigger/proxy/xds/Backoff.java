package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential back-off between attempts to open the discovery stream, as Envoy's {@code
 * JitteredExponentialBackOffStrategy}: <b>full jitter</b>. The n-th delay after a reset (n from 0)
 * is uniform in {@code [0, min(max, base * 2^n))} milliseconds, so clients that lost the same
 * control plane spread their reconnects over the whole window instead of arriving together.
 *
 * <p>Not thread-safe: used on the discovery client's thread only.
 */
final class Backoff {
  private final long baseMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int attempt;

  /**
   * @param base the first window, Envoy's 500 ms for xDS
   * @param max the largest window, Envoy's 30 s for xDS
   * @param random the source of jitter; seeded in tests
   */
  Backoff(Duration base, Duration max, RandomGenerator random) {
    this.baseMillis = requireNonNull(base, "base").toMillis();
    this.maxMillis = requireNonNull(max, "max").toMillis();
    this.random = requireNonNull(random, "random");
    if (baseMillis < 1 || maxMillis < baseMillis) {
      throw new IllegalArgumentException(
          "base: " + base + ", max: " + max + " (expected: 1ms <= base <= max)");
    }
  }

  /** The delay before the next attempt; each call doubles the window, up to the maximum. */
  Duration next() {
    long ceiling = ceilingMillis(attempt);
    if (ceiling < maxMillis) {
      attempt++;
    }
    return Duration.ofMillis(random.nextLong(ceiling));
  }

  /** Back to the first window: called once a new stream has delivered a response. */
  void reset() {
    attempt = 0;
  }

  private long ceilingMillis(int n) {
    // base * 2^n without overflow: past 2^40 the window is far beyond any sane maximum anyway.
    return n >= 40 ? maxMillis : Math.min(maxMillis, baseMillis << n);
  }
}
