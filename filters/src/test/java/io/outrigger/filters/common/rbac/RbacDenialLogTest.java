package io.outrigger.filters.common.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.filters.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class RbacDenialLogTest {
  @Test
  void logsAtInfoAtMostOncePerInterval() {
    ManualClock clock = new ManualClock();
    RbacDenialLog log = new RbacDenialLog("http test", clock);
    RbacDecision d = new RbacDecision(false, null);

    assertThat(log.denied("spiffe://a", d, "127.0.0.1:1", "GET /")).isTrue();
    assertThat(log.denied("spiffe://a", d, "127.0.0.1:1", "GET /")).isFalse();
    clock.advance(java.time.Duration.ofNanos(RbacDenialLog.INFO_INTERVAL_NANOS - 1));
    assertThat(log.denied("spiffe://a", d, "127.0.0.1:1", "GET /")).isFalse();
    clock.advance(java.time.Duration.ofNanos(1));
    assertThat(log.denied("spiffe://a", d, "127.0.0.1:1", "GET /")).isTrue();
  }
}
