package io.outrigger.filters.http.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.http.TokenBucketConfig;
import io.outrigger.filters.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final ManualClock clock = new ManualClock();

  private TokenBucket bucket(long max, long perFill, Duration interval) {
    return new TokenBucket(new TokenBucketConfig(max, perFill, interval), clock);
  }

  @Test
  void startsFullAndLimitsUntilTheNextWholeFillInterval() {
    TokenBucket b = bucket(3, 1, Duration.ofSeconds(1));

    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isFalse();

    clock.advance(Duration.ofMillis(999));
    assertThat(b.tryAcquire()).as("the fill is due at 1s, not before").isFalse();

    clock.advance(Duration.ofMillis(1));
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).as("one token per fill").isFalse();
  }

  @Test
  void fillsAreAlignedToTheBucketsCreationLikeEnvoysTimer() {
    TokenBucket b = bucket(1, 1, Duration.ofSeconds(1));
    clock.advance(Duration.ofMillis(900));
    assertThat(b.tryAcquire()).isTrue();

    clock.advance(Duration.ofMillis(100)); // t = 1.0s: the timer would fire now
    assertThat(b.tryAcquire()).isTrue();
    clock.advance(Duration.ofMillis(999));
    assertThat(b.tryAcquire()).isFalse();
  }

  @Test
  void severalFillsAddUpButNeverAboveMaxTokens() {
    TokenBucket b = bucket(10, 2, Duration.ofMillis(100));
    for (int i = 0; i < 10; i++) {
      assertThat(b.tryAcquire()).isTrue();
    }
    assertThat(b.availableTokens()).isZero();

    clock.advance(Duration.ofMillis(300));
    assertThat(b.availableTokens()).isEqualTo(6);

    clock.advance(Duration.ofHours(5));
    assertThat(b.availableTokens()).isEqualTo(10);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.availableTokens()).isEqualTo(9);
  }

  @Test
  void largeTokenCountsStayExact() {
    TokenBucket b = bucket(4_294_967_295L, 4_294_967_295L, Duration.ofMillis(50));
    assertThat(b.availableTokens()).isEqualTo(4_294_967_295L);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.availableTokens()).isEqualTo(4_294_967_294L);
    clock.advance(Duration.ofMillis(50));
    assertThat(b.availableTokens()).isEqualTo(4_294_967_295L);
  }

  @Test
  void threadsRacingForTokensNeverTakeMoreThanThereAre() throws Exception {
    TokenBucket b = bucket(1000, 1, Duration.ofSeconds(1));
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 500; i++) {
                  if (b.tryAcquire()) {
                    granted.incrementAndGet();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }

    assertThat(granted.get()).isEqualTo(1000);
    assertThat(b.availableTokens()).isZero();
  }
}
