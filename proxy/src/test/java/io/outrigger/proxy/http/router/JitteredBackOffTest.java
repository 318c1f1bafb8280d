package io.outrigger.proxy.http.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class JitteredBackOffTest {
  /** A random source that always draws the largest value below the bound. */
  private static final RandomGenerator CEILING =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  @Test
  void theCeilingDoublesPlusOneBaseEachRetryUntilTheMax() {
    JitteredBackOff b = new JitteredBackOff(25, 250, CEILING);

    assertThat(b.nextMillis()).isEqualTo(24); // [0, 25)
    assertThat(b.nextMillis()).isEqualTo(74); // [0, 75)
    assertThat(b.nextMillis()).isEqualTo(174); // [0, 175)
    assertThat(b.nextMillis()).isEqualTo(250); // [0, 375) capped at 250
    assertThat(b.nextMillis()).isEqualTo(250);
  }

  @Test
  void aSeededSequenceStaysWithinEachCeiling() {
    JitteredBackOff b = new JitteredBackOff(10, 1_000, new SplittableRandom(42));
    long[] ceilings = {10, 30, 70, 150, 310, 630, 1_000, 1_000};

    for (long ceiling : ceilings) {
      assertThat(b.nextMillis()).isBetween(0L, ceiling);
    }
  }

  @Test
  void refusesABaseOverTheMax() {
    assertThatThrownBy(() -> new JitteredBackOff(100, 50, new SplittableRandom(1)))
        .hasMessageContaining("expected: 1 <= base <= max");
  }
}
