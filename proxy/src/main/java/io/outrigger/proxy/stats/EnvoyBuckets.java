package io.outrigger.proxy.stats;

import io.outrigger.proxy.stats.envoy.HistogramData;
import java.time.Duration;

/**
 * Envoy's default histogram buckets as bucket bounds of the latency timers, so that Envoy's
 * exposition reads exact counts at each of them.
 */
final class EnvoyBuckets {
  static final Duration[] DURATIONS = durations();

  private EnvoyBuckets() {}

  private static Duration[] durations() {
    Duration[] d = new Duration[HistogramData.ENVOY_BUCKETS.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Duration.ofNanos((long) (HistogramData.ENVOY_BUCKETS[i] * 1_000_000));
    }
    return d;
  }
}
