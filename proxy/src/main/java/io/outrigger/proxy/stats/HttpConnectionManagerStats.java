package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The statistics of the HTTP connection managers of one listener that share a {@code stat_prefix}
 * (one per filter chain, or several chains with the same prefix), labelled {@code listener} and
 * {@code stat_prefix}. They are Envoy's {@code http.<stat_prefix>.} scope, which two listeners with
 * that prefix share (summed in Envoy's form): the requests, and the connections the connection
 * managers took ({@code http_downstream_cx_*} here, as the listener's own {@code downstream_cx_*}
 * have only the {@code listener} label).
 */
public final class HttpConnectionManagerStats implements DownstreamConnectionStats {
  private final ResponseClassCounters total;
  private final Counter started;
  private final AtomicLong active = new AtomicLong();
  private final Timer time;
  private final Counter protocolErrors;
  private final Counter headerTimeouts;
  private final Counter maxDurationReached;
  private final Counter maxRequestsReached;
  private final Counter overloadDisabledKeepAlive;
  private final Counter cxTotal;
  private final Counter cxDestroy;
  private final Counter rxBytes;
  private final Counter txBytes;
  private final AtomicLong cxActive = new AtomicLong();

  HttpConnectionManagerStats(MeterRegistry registry, String listener, String statPrefix) {
    Tags scope = Tags.of("listener", listener, "stat_prefix", statPrefix);
    total =
        new ResponseClassCounters(
            registry, "downstream_rq_total", scope, "Downstream requests answered");
    started =
        counter(
            registry,
            scope,
            "downstream_rq_started",
            "Downstream requests received (Envoy's downstream_rq_total)");
    Gauge.builder("downstream_rq_active", active, AtomicLong::get)
        .description("Downstream requests in flight")
        .tags(scope)
        .strongReference(true)
        .register(registry);
    time =
        Timer.builder("downstream_rq_time")
            .description("Downstream request time, first byte in to last byte out")
            .tags(scope)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .serviceLevelObjectives(EnvoyBuckets.DURATIONS)
            .register(registry);
    protocolErrors =
        counter(
            registry,
            scope,
            "downstream_cx_protocol_error",
            "Downstream requests refused or reset for breaking HTTP's framing or syntax");
    headerTimeouts =
        counter(
            registry,
            scope,
            "downstream_rq_header_timeout",
            "Downstream connections closed by request_headers_timeout");
    maxDurationReached =
        counter(
            registry,
            scope,
            "downstream_cx_max_duration_reached",
            "Downstream connections drained by max_connection_duration");
    overloadDisabledKeepAlive =
        counter(
            registry,
            scope,
            "downstream_cx_overload_disable_keepalive",
            "Downstream connections closed after a response by disable_http_keepalive");
    maxRequestsReached =
        counter(
            registry,
            scope,
            "downstream_cx_max_requests_reached",
            "Downstream connections drained by max_requests_per_connection");
    cxTotal =
        counter(
            registry,
            scope,
            "http_downstream_cx_total",
            "Downstream connections the connection manager took");
    cxDestroy =
        counter(registry, scope, "http_downstream_cx_destroy", "Downstream connections it closed");
    rxBytes =
        counter(
            registry,
            scope,
            "http_downstream_cx_rx_bytes_total",
            "Bytes read from its downstream connections");
    txBytes =
        counter(registry, scope, "http_downstream_cx_tx_bytes_total", "Bytes written to them");
    Gauge.builder("http_downstream_cx_active", cxActive, AtomicLong::get)
        .description("Its downstream connections open")
        .tags(scope)
        .strongReference(true)
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, Tags scope, String name, String help) {
    return Counter.builder(name).description(help).tags(scope).register(registry);
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

  @Override
  public void connectionOpened() {
    cxTotal.increment();
    cxActive.incrementAndGet();
  }

  @Override
  public void connectionClosed() {
    cxDestroy.increment();
    cxActive.decrementAndGet();
  }

  @Override
  public void bytesReceived(int n) {
    rxBytes.increment(n);
  }

  @Override
  public void bytesSent(int n) {
    txBytes.increment(n);
  }
}
