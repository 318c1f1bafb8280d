package io.outrigger.proxy.stats.envoy;

import static java.util.Objects.requireNonNull;

/**
 * One statistic in Envoy's form, read from the meters at one moment.
 *
 * @param name its Envoy name
 * @param kind counter, gauge or histogram
 * @param value the counter's or gauge's value; for a histogram its sample count
 * @param histogram the histogram's buckets; null for counters and gauges
 */
public record EnvoyStat(StatName name, Kind kind, double value, HistogramData histogram) {
  /** Envoy's three kinds of statistic. */
  public enum Kind {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  public EnvoyStat {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    if ((kind == Kind.HISTOGRAM) != (histogram != null)) {
      throw new IllegalArgumentException("histogram: expected exactly for kind HISTOGRAM");
    }
  }

  /** Whether it was ever written, as Envoy's {@code ?usedonly} asks: non-zero, or sampled. */
  public boolean used() {
    return value != 0;
  }

  /** The sum of two statistics of the same name (two listeners with one {@code stat_prefix}). */
  EnvoyStat plus(EnvoyStat other) {
    return new EnvoyStat(
        name,
        kind,
        value + other.value,
        histogram == null ? null : histogram.plus(other.histogram));
  }
}
