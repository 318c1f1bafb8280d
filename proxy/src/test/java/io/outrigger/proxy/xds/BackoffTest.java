package io.outrigger.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration BASE = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void doublesTheFullJitterWindowFrom500MsUpTo30s() {
    Backoff backoff = new Backoff(BASE, MAX, new Random(42));
    Random expected = new Random(42);
    List<Long> windows = List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);

    List<Long> delays = new ArrayList<>();
    List<Long> wanted = new ArrayList<>();
    for (long window : windows) {
      delays.add(backoff.next().toMillis());
      wanted.add(expected.nextLong(window));
    }

    assertThat(delays).isEqualTo(wanted);
    for (int i = 0; i < delays.size(); i++) {
      assertThat(delays.get(i)).isBetween(0L, windows.get(i) - 1);
    }
  }

  @Test
  void reachesTheTopOfEachWindowWhenTheRandomDoes() {
    Backoff backoff = new Backoff(BASE, MAX, new TopOfWindow());

    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(backoff.next().toMillis());
    }

    assertThat(delays).containsExactly(499L, 999L, 1999L, 3999L, 7999L, 15999L, 29999L, 29999L);
  }

  @Test
  void resetStartsAgainFromTheFirstWindow() {
    Backoff backoff = new Backoff(BASE, MAX, new TopOfWindow());
    backoff.next();
    backoff.next();
    backoff.next();

    backoff.reset();

    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(499));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(999));
  }

  @Test
  void refusesAMaximumBelowTheBase() {
    assertThatThrownBy(() -> new Backoff(MAX, BASE, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: 1ms <= base <= max");
  }

  /** Always the largest value below the bound: shows the window itself. */
  private static final class TopOfWindow implements java.util.random.RandomGenerator {
    @Override
    public long nextLong() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  }
}
