package io.outrigger.perf.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthTest {
  /** (elapsed s, value) */
  private record Point(double t, double v) {}

  private static Growth growth(List<Point> points, double slack) {
    return Growth.of("m", points, Point::t, Point::v, 300, 1800, 30, 5, slack);
  }

  @Test
  void comparesTheMedianAroundMinuteFiveWithTheMedianOfTheLastMinute() {
    List<Point> points =
        List.of(
            new Point(270, 100),
            new Point(290, 500),
            new Point(310, 100), // a spike at 290 s
            new Point(600, 900), // outside both windows
            new Point(1750, 104),
            new Point(1770, 104),
            new Point(1790, 300));
    Growth g = growth(points, 0);
    assertThat(g.start()).isEqualTo(100);
    assertThat(g.end()).isEqualTo(104);
    assertThat(g.percent()).isEqualTo(4);
    assertThat(g.passes()).isTrue();
  }

  @Test
  void failsAtFivePercentAndWithoutSamples() {
    assertThat(growth(List.of(new Point(300, 100), new Point(1800, 105)), 0).passes()).isFalse();
    assertThat(growth(List.of(new Point(1800, 105)), 0).passes()).isFalse();
  }

  @Test
  void anIncreaseWithinTheSlackIsNotGrowth() {
    Growth queue = growth(List.of(new Point(300, 0), new Point(1800, 2)), 2);
    assertThat(queue.percent()).isNaN();
    assertThat(queue.passes()).isTrue();
    assertThat(growth(List.of(new Point(300, 0), new Point(1800, 3)), 2).passes()).isFalse();
  }

  @Test
  void theMedianIgnoresMissingSamples() {
    assertThat(Growth.median(new double[] {Double.NaN, 3, 1, 2})).isEqualTo(2);
    assertThat(Growth.median(new double[] {4, 1})).isEqualTo(2.5);
    assertThat(Growth.median(new double[] {Double.NaN})).isNaN();
  }
}
