package io.outrigger.proxy.stats.envoy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Envoy's "interval" histogram values: the samples of the last completed flush interval. Envoy
 * flushes every {@code stats_flush_interval} (5 s) on a timer; Outrigger flushes when histograms
 * are read and the interval has passed, so the interval shown is the one that ended at the last
 * read that was at least 5 s after the flush before it.
 *
 * <p>Thread-safe (reads are serialised; they come from the admin server's one event loop).
 */
public final class HistogramIntervals {
  /** Envoy's default {@code stats_flush_interval}. */
  public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);

  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private long lastFlush;
  private Map<StatName, HistogramData> atLastFlush = new HashMap<>();
  private Map<StatName, HistogramData> lastInterval = new HashMap<>();

  public HistogramIntervals(LongSupplier nanoClock, Duration interval) {
    this.nanoClock = nanoClock;
    this.intervalNanos = interval.toNanos();
    this.lastFlush = nanoClock.getAsLong();
  }

  /** The last completed interval of each histogram among {@code stats}; absent before the first. */
  public synchronized Map<StatName, HistogramData> intervals(List<EnvoyStat> stats) {
    long now = nanoClock.getAsLong();
    if (now - lastFlush >= intervalNanos) {
      Map<StatName, HistogramData> current = new HashMap<>();
      Map<StatName, HistogramData> interval = new HashMap<>();
      for (EnvoyStat s : stats) {
        if (s.histogram() != null) {
          current.put(s.name(), s.histogram());
          interval.put(s.name(), s.histogram().minus(atLastFlush.get(s.name())));
        }
      }
      atLastFlush = current;
      lastInterval = interval;
      lastFlush = now;
    }
    return Map.copyOf(lastInterval);
  }
}
