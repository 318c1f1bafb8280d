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
  private final Counter started;
  private final AtomicLong active = new AtomicLong();
  private final Timer time;
  private final Counter protocolErrors;
  private final Counter headerTimeouts;
  private final Counter maxDurationReached;
  private final Counter maxRequestsReached;
  private final Counter overloadDisabledKeepAlive;

  HttpListenerStats(MeterRegistry registry, String listener) {
    total =
        new ResponseClassCounters(
            registry, "downstream_rq_total", "listener", listener, "Downstream requests answered");
    started =
        Counter.builder("downstream_rq_started")
            .description("Downstream requests received (Envoy's downstream_rq_total)")
            .tag("listener", listener)
            .register(registry);
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
            .serviceLevelObjectives(EnvoyBuckets.DURATIONS)
            .register(registry);
    protocolErrors =
        Counter.builder("downstream_cx_protocol_error")
            .description(
                "Downstream requests refused or reset for breaking HTTP's framing or syntax")
            .tag("listener", listener)
            .register(registry);
    headerTimeouts =
        Counter.builder("downstream_rq_header_timeout")
            .description("Downstream connections closed by request_headers_timeout")
            .tag("listener", listener)
            .register(registry);
    maxDurationReached =
        Counter.builder("downstream_cx_max_duration_reached")
            .description("Downstream connections drained by max_connection_duration")
            .tag("listener", listener)
            .register(registry);
    overloadDisabledKeepAlive =
        Counter.builder("downstream_cx_overload_disable_keepalive")
            .description("Downstream connections closed after a response by disable_http_keepalive")
            .tag("listener", listener)
            .register(registry);
    maxRequestsReached =
        Counter.builder("downstream_cx_max_requests_reached")
            .description("Downstream connections drained by max_requests_per_connection")
            .tag("listener", listener)
            .register(registry);
  }

  public void requestStarted() {
    started.increment();
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

  /** A request's headers did not arrive within {@code request_headers_timeout}. */
  public void headerTimeout() {
    headerTimeouts.increment();
  }

  /** A connection began to drain: it reached {@code max_connection_duration}. */
  public void maxDurationReached() {
    maxDurationReached.increment();
  }

  /** A connection began to drain: it carried {@code max_requests_per_connection} requests. */
  public void maxRequestsReached() {
    maxRequestsReached.increment();
  }

  /** The overload manager's {@code disable_http_keepalive} closed a connection after a response. */
  public void overloadDisabledKeepAlive() {
    overloadDisabledKeepAlive.increment();
  }

  public long activeRequests() {
    return active.get();
  }
}
