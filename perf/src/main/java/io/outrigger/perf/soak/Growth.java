package io.outrigger.perf.soak;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How much one resource grew between two windows of the run: the median of its samples around the
 * start point (minute 5 of 30) against the median of the last window (the last minute of 30).
 * Medians, because a sample is an instant: a GC, a burst of handshakes or a task being queued at
 * that moment is not growth.
 *
 * <p>{@code slack} is an absolute increase that is never counted as growth: an event-loop queue
 * sampled at an instant holds the few tasks in flight, so 0 then 1 is not "infinite growth".
 */
record Growth(String metric, double start, double end, double boundPercent, double slack) {
  /** The increase in percent of the start value; NaN when the start value is 0 or unknown. */
  double percent() {
    return start > 0 ? (end - start) * 100 / start : Double.NaN;
  }

  boolean passes() {
    if (Double.isNaN(start) || Double.isNaN(end)) {
      return false;
    }
    return end - start <= slack || percent() < boundPercent;
  }

  /**
   * {@code value} over the rows whose elapsed seconds lie in {@code [startS - halfWindowS, startS +
   * halfWindowS]} against those at or after {@code endS - 2 * halfWindowS}.
   */
  static <R> Growth of(
      String metric,
      List<R> rows,
      ToDoubleFunction<R> elapsedS,
      ToDoubleFunction<R> value,
      double startS,
      double endS,
      double halfWindowS,
      double boundPercent,
      double slack) {
    double start =
        median(
            rows.stream()
                .filter(r -> Math.abs(elapsedS.applyAsDouble(r) - startS) <= halfWindowS)
                .mapToDouble(value)
                .toArray());
    double end =
        median(
            rows.stream()
                .filter(r -> elapsedS.applyAsDouble(r) >= endS - 2 * halfWindowS)
                .mapToDouble(value)
                .toArray());
    return new Growth(metric, start, end, boundPercent, slack);
  }

  /** The median of the values that are not NaN; NaN when there is none. */
  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
