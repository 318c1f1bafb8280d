package io.outrigger.proxy.http.router;

import java.util.random.RandomGenerator;

/**
 * Envoy's fully jittered exponential back-off: the n-th wait is drawn uniformly from {@code [0,
 * (2^n - 1) × base)}, and never exceeds {@code max}. With the defaults (25 ms, 250 ms) the first
 * retry waits 0–25 ms, the second 0–75 ms, the third 0–175 ms, later ones 0–250 ms.
 *
 * <p>One instance per request; not thread-safe. The random source is injected so that tests can
 * replay a sequence.
 */
final class JitteredBackOff {
  private final long baseMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int attempt = 1;

  JitteredBackOff(long baseMillis, long maxMillis, RandomGenerator random) {
    if (baseMillis < 1 || maxMillis < baseMillis) {
      throw new IllegalArgumentException(
          "back-off: base "
              + baseMillis
              + "ms, max "
              + maxMillis
              + "ms (expected: 1 <= base <= max)");
    }
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  /** The next wait in milliseconds. */
  long nextMillis() {
    long multiplier = (1L << Math.min(attempt, 62)) - 1;
    long ceiling = multiplier > maxMillis / baseMillis ? Long.MAX_VALUE : multiplier * baseMillis;
    if (ceiling <= maxMillis) {
      attempt++;
    }
    return Math.min(random.nextLong(ceiling), maxMillis);
  }
}
