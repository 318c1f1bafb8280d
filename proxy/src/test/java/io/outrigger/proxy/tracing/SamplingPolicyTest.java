package io.outrigger.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SamplingPolicyTest {
  /** Draws the given values in order; fails the test if asked for more. */
  private static DoubleSupplier draws(Double... values) {
    ArrayDeque<Double> q = new ArrayDeque<>(List.of(values));
    return () -> {
      assertThat(q).as("more draws than expected").isNotEmpty();
      return q.poll();
    };
  }

  private static HttpHeaders headers(boolean clientTraceId) {
    HttpHeaders h = new DefaultHttpHeaders();
    if (clientTraceId) {
      h.set("x-client-trace-id", "abc");
    }
    return h;
  }

  @Test
  void defaultsSampleEverythingWithoutDrawing() {
    SamplingPolicy p = new SamplingPolicy(100, 100, 100, draws());
    assertThat(p.sample(headers(false))).isTrue();
    assertThat(p.sample(headers(true))).isTrue();
  }

  @Test
  void randomSamplingIsAPercentOfRequests() {
    SamplingPolicy p = new SamplingPolicy(10, 100, 100, draws(9.99, 10.0));
    assertThat(p.sample(headers(false))).isTrue();
    assertThat(p.sample(headers(false))).isFalse();
  }

  @Test
  void clientTraceIdIsSampledAtClientSamplingElseFallsBackToRandom() {
    SamplingPolicy p = new SamplingPolicy(0, 50, 100, draws(10.0, 60.0));
    assertThat(p.sample(headers(true))).isTrue(); // 10 < 50
    assertThat(p.sample(headers(true))).isFalse(); // 60 >= 50, and random is 0%
    assertThat(p.sample(headers(false))).isFalse(); // random 0%: no draw at all
  }

  @Test
  void overallSamplingCapsEveryDecision() {
    SamplingPolicy p = new SamplingPolicy(100, 100, 30, draws(29.0, 31.0));
    assertThat(p.sample(headers(true))).isTrue();
    assertThat(p.sample(headers(false))).isFalse();
    assertThat(new SamplingPolicy(100, 100, 0, draws()).sample(headers(true))).isFalse();
  }

  @Test
  void aSeededRandomSamplesAboutThePercentAsked() {
    RandomGenerator r = RandomGenerator.of("L64X128MixRandom");
    SamplingPolicy p = new SamplingPolicy(20, 100, 100, () -> r.nextDouble(100.0));
    int sampled = 0;
    for (int i = 0; i < 10_000; i++) {
      if (p.sample(headers(false))) {
        sampled++;
      }
    }
    assertThat(sampled).isBetween(1_800, 2_200);
  }
}
