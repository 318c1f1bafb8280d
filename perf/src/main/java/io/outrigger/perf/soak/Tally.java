package io.outrigger.perf.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the load generator saw during one sampling interval: responses by status code, requests that
 * got no response by exception, and latencies. Written by the HTTP client's threads, drained by the
 * sampler every interval; every method is synchronized (a few hundred calls a second).
 */
final class Tally {
  /** One interval: outcome ("200", "503", "error:ConnectException") to count, and latencies. */
  record Interval(Map<String, Long> outcomes, double p50Ms, double p99Ms, double maxMs) {
    long count(java.util.function.Predicate<String> outcome) {
      return outcomes.entrySet().stream()
          .filter(e -> outcome.test(e.getKey()))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    long ok() {
      return count(Tally::is2xx);
    }

    long failed() {
      return count(o -> !is2xx(o));
    }
  }

  private Map<String, Long> outcomes = new TreeMap<>();
  private long[] latenciesNanos = new long[1024];
  private int latencies;

  static boolean is2xx(String outcome) {
    return outcome.length() == 3 && outcome.charAt(0) == '2';
  }

  synchronized void record(String outcome, long latencyNanos) {
    outcomes.merge(outcome, 1L, Long::sum);
    if (latencies == latenciesNanos.length) {
      latenciesNanos = Arrays.copyOf(latenciesNanos, latencies * 2);
    }
    latenciesNanos[latencies++] = latencyNanos;
  }

  /** The interval so far, and a new one begun. */
  synchronized Interval drain() {
    long[] sorted = Arrays.copyOf(latenciesNanos, latencies);
    Arrays.sort(sorted);
    Interval interval =
        new Interval(
            outcomes,
            percentileMs(sorted, 0.50),
            percentileMs(sorted, 0.99),
            percentileMs(sorted, 1));
    outcomes = new TreeMap<>();
    latencies = 0;
    return interval;
  }

  private static double percentileMs(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** {@code a} and {@code b} added up, outcome by outcome. */
  static Map<String, Long> sum(List<Map<String, Long>> intervals) {
    Map<String, Long> total = new TreeMap<>();
    intervals.forEach(m -> m.forEach((k, v) -> total.merge(k, v, Long::sum)));
    return total;
  }

  static List<Map<String, Long>> outcomes(List<Interval> intervals) {
    List<Map<String, Long>> out = new ArrayList<>();
    intervals.forEach(i -> out.add(i.outcomes()));
    return out;
  }
}
