package io.outrigger.proxy.stats.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistogramIntervalsTest {
  private static final double[] BOUNDS = {1, 10, 100};
  private static final StatName NAME = StatName.of("cluster.b.upstream_rq_time");

  private static EnvoyStat histogram(double... cumulative) {
    long count = (long) cumulative[cumulative.length - 1];
    return new EnvoyStat(
        NAME,
        EnvoyStat.Kind.HISTOGRAM,
        count,
        new HistogramData(BOUNDS, cumulative, count, count * 5.0));
  }

  @Test
  void intervalIsTheLastCompletedFlushPeriod() {
    AtomicLong now = new AtomicLong();
    HistogramIntervals intervals = new HistogramIntervals(now::get, Duration.ofSeconds(5));

    assertThat(intervals.intervals(List.of(histogram(1, 2, 2)))).isEmpty();

    now.set(Duration.ofSeconds(5).toNanos());
    HistogramData first = intervals.intervals(List.of(histogram(1, 2, 2))).get(NAME);
    assertThat(first.count()).isEqualTo(2);

    now.set(Duration.ofSeconds(7).toNanos());
    // Not yet a new period: the same interval, whatever came since.
    assertThat(intervals.intervals(List.of(histogram(1, 2, 9))).get(NAME).count()).isEqualTo(2);

    now.set(Duration.ofSeconds(10).toNanos());
    HistogramData second = intervals.intervals(List.of(histogram(1, 2, 9))).get(NAME);
    assertThat(second.count()).isEqualTo(7);
    assertThat(second.cumulative()).containsExactly(0, 0, 7);
    assertThat(second.quantile(0.5)).isBetween(10.0, 100.0);
  }

  @Test
  void quantilesInterpolateInsideTheirBucket() {
    HistogramData h = new HistogramData(BOUNDS, new double[] {0, 10, 10}, 10, 50);
    assertThat(h.quantile(0.5)).isEqualTo(5.5);
    assertThat(h.quantile(1)).isEqualTo(10);
    assertThat(new HistogramData(BOUNDS, new double[] {0, 0, 0}, 0, 0).quantile(0.5)).isNaN();
    assertThat(h.countAtOrBelow(5)).isEqualTo(0);
    assertThat(h.countAtOrBelow(10)).isEqualTo(10);
  }
}
