package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Downstream request statistics of one HTTP connection manager, labelled {@code listener}. */
public final class HttpListenerStats {
  private final ResponseClassCounters total;
  private final AtomicLong active = new AtomicLong();
  private final Timer time;
  private final Counter protocolErrors;

  HttpListenerStats(MeterRegistry registry, String listener) {
    total =
        new ResponseClassCounters(
            registry, "downstream_rq_total", "listener", listener, "Downstream requests answered");
    Gauge.builder("downstream_rq_active", active, AtomicLong::get)
        .description("Downstream requests in flight")
        .tag("listener", listener)
        .strongReference(true)
        .register(registry);
    time =
        Timer.builder("downstream_rq_time")
            .description("Downstream request time, first byte in to last byte out")
            .tag("listener", listener)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    protocolErrors =
        Counter.builder("downstream_cx_protocol_error")
            .description(
                "Downstream requests refused or reset for breaking HTTP's framing or syntax")
            .tag("listener", listener)
            .register(registry);
  }

  public void requestStarted() {
    active.incrementAndGet();
  }

  /** A request ended with {@code status} (0 when it was reset before any response). */
  public void requestFinished(int status, long durationNanos) {
    active.decrementAndGet();
    if (status > 0) {
      total.count(status);
    }
    time.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A downstream request broke the protocol (a malformed message, a body that lies about its
   * length).
   */
  public void protocolError() {
    protocolErrors.increment();
  }

  public long activeRequests() {
    return active.get();
  }
}
