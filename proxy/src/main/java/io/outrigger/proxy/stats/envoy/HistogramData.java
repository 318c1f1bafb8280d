package io.outrigger.proxy.stats.envoy;

import java.util.Arrays;

/**
 * A latency histogram's cumulative buckets, in milliseconds as Envoy records times.
 *
 * @param boundsMs the upper bounds, ascending (Envoy's default buckets among them)
 * @param cumulative the samples at or below each bound
 * @param count every sample
 * @param sumMs the sum of the samples
 */
public record HistogramData(double[] boundsMs, double[] cumulative, long count, double sumMs) {
  /** Envoy's default histogram buckets, in milliseconds. */
  public static final double[] ENVOY_BUCKETS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
    1800000, 3600000
  };

  public HistogramData {
    if (boundsMs.length != cumulative.length) {
      throw new IllegalArgumentException("boundsMs and cumulative: lengths differ");
    }
  }

  /** The samples at or below {@code boundMs}: the largest bucket that does not exceed it. */
  public double countAtOrBelow(double boundMs) {
    int i = Arrays.binarySearch(boundsMs, boundMs);
    if (i >= 0) {
      return cumulative[i];
    }
    int below = -i - 2;
    return below < 0 ? 0 : cumulative[below];
  }

  /**
   * The {@code q} quantile (0..1), interpolated linearly inside its bucket; NaN without samples.
   */
  public double quantile(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    double rank = q * count;
    double lowerBound = 0;
    double lowerCount = 0;
    for (int i = 0; i < boundsMs.length; i++) {
      if (cumulative[i] >= rank && cumulative[i] > lowerCount) {
        double share = (rank - lowerCount) / (cumulative[i] - lowerCount);
        return lowerBound + Math.max(0, share) * (boundsMs[i] - lowerBound);
      }
      if (cumulative[i] > lowerCount) {
        lowerCount = cumulative[i];
      }
      lowerBound = boundsMs[i];
    }
    return boundsMs.length == 0 ? Double.NaN : boundsMs[boundsMs.length - 1];
  }

  /** The samples of this histogram that {@code earlier} (a snapshot of it) did not have. */
  public HistogramData minus(HistogramData earlier) {
    if (earlier == null || earlier.cumulative.length != cumulative.length) {
      return this;
    }
    double[] c = new double[cumulative.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = cumulative[i] - earlier.cumulative[i];
    }
    return new HistogramData(boundsMs, c, count - earlier.count, sumMs - earlier.sumMs);
  }

  HistogramData plus(HistogramData other) {
    if (!Arrays.equals(boundsMs, other.boundsMs)) {
      return count >= other.count ? this : other;
    }
    double[] c = new double[cumulative.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = cumulative[i] + other.cumulative[i];
    }
    return new HistogramData(boundsMs, c, count + other.count, sumMs + other.sumMs);
  }
}
