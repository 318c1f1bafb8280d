package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upstream statistics of one cluster, all labelled {@code cluster}. Responses are counted twice, by
 * class ({@code upstream_rq_total{response_code_class}}) and by code ({@code
 * upstream_rq_code{response_code}}), as Envoy's {@code upstream_rq_5xx} and {@code
 * upstream_rq_503}.
 */
public final class ClusterStats {
  private final Counter cxTotal;
  private final Counter cxDestroy;
  private final Counter connectFail;
  private final Counter connectTimeout;
  private final Counter noneHealthy;
  private final Counter rxBytes;
  private final Counter txBytes;
  private final AtomicLong cxActive = new AtomicLong();
  private final ResponseClassCounters rqTotal;
  private final ResponseCodeCounters rqByCode;
  private final Counter rqStarted;
  private final AtomicLong rqActive = new AtomicLong();
  private final io.micrometer.core.instrument.Timer rqTime;
  private final Counter rqTimeout;
  private final Counter cxHttp1;
  private final Counter cxHttp2;
  private final Counter cxOverflow;
  private final Counter rqPendingOverflow;
  private final AtomicLong rqPendingActive = new AtomicLong();
  private final RetryStats retry;
  private final Counter lbHealthyPanic;
  private final AtomicLong membershipTotal = new AtomicLong();
  private final AtomicLong membershipHealthy = new AtomicLong();

  ClusterStats(MeterRegistry registry, String cluster) {
    cxTotal = counter(registry, "upstream_cx_total", cluster, "Upstream connections opened");
    cxDestroy = counter(registry, "upstream_cx_destroy", cluster, "Upstream connections closed");
    connectFail =
        counter(registry, "upstream_cx_connect_fail", cluster, "Upstream connect failures");
    connectTimeout =
        counter(
            registry,
            "upstream_cx_connect_timeout",
            cluster,
            "Upstream connects that timed out (also counted as failures)");
    noneHealthy =
        counter(
            registry,
            "upstream_cx_none_healthy",
            cluster,
            "Connections refused because the cluster had no host");
    rxBytes = counter(registry, "upstream_cx_rx_bytes_total", cluster, "Bytes read from upstream");
    txBytes = counter(registry, "upstream_cx_tx_bytes_total", cluster, "Bytes written to upstream");
    rqTotal =
        new ResponseClassCounters(
            registry, "upstream_rq_total", "cluster", cluster, "Upstream responses received");
    rqByCode =
        new ResponseCodeCounters(
            registry, "upstream_rq_code", "cluster", cluster, "Upstream responses by code");
    rqStarted =
        counter(
            registry, "upstream_rq_started", cluster, "Upstream requests sent (Envoy's rq_total)");
    Gauge.builder("upstream_rq_active", rqActive, AtomicLong::get)
        .description("Upstream requests in flight")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
    rqTime =
        io.micrometer.core.instrument.Timer.builder("upstream_rq_time")
            .description("Upstream request time, request start to last response byte")
            .tag("cluster", cluster)
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofMillis(1))
            .maximumExpectedValue(java.time.Duration.ofSeconds(60))
            .serviceLevelObjectives(EnvoyBuckets.DURATIONS)
            .register(registry);
    rqTimeout =
        counter(registry, "upstream_rq_timeout", cluster, "Upstream requests that timed out");
    cxHttp1 =
        counter(registry, "upstream_cx_http1_total", cluster, "Upstream HTTP/1.1 connections");
    cxHttp2 = counter(registry, "upstream_cx_http2_total", cluster, "Upstream HTTP/2 connections");
    cxOverflow =
        counter(
            registry,
            "upstream_cx_overflow",
            cluster,
            "Connections not opened because the cluster was at max_connections");
    rqPendingOverflow =
        counter(
            registry,
            "upstream_rq_pending_overflow",
            cluster,
            "Requests refused at max_pending_requests or max_requests (503, flag UO)");
    Gauge.builder("upstream_rq_pending_active", rqPendingActive, AtomicLong::get)
        .description("Requests waiting for an upstream connection")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
    retry = new RetryStats(registry, cluster);
    Gauge.builder("upstream_cx_active", cxActive, AtomicLong::get)
        .description("Upstream connections open")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
    lbHealthyPanic =
        counter(
            registry,
            "lb_healthy_panic",
            cluster,
            "Hosts chosen from all hosts because too few were healthy (panic mode)");
    Gauge.builder("membership_total", membershipTotal, AtomicLong::get)
        .description("Hosts in the cluster")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
    Gauge.builder("membership_healthy", membershipHealthy, AtomicLong::get)
        .description("Hosts neither ejected nor failing active health checks")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
  }

  /** A host was chosen in panic mode. */
  public void lbHealthyPanic() {
    lbHealthyPanic.increment();
  }

  /** The cluster now has {@code total} hosts, {@code healthy} of them healthy. */
  public void membership(int total, int healthy) {
    membershipTotal.set(total);
    membershipHealthy.set(healthy);
  }

  private static Counter counter(MeterRegistry registry, String name, String cluster, String help) {
    return Counter.builder(name).description(help).tag("cluster", cluster).register(registry);
  }

  public void connectionOpened() {
    cxTotal.increment();
    cxActive.incrementAndGet();
  }

  public void connectionClosed() {
    cxDestroy.increment();
    cxActive.decrementAndGet();
  }

  public void connectFailed(boolean timedOut) {
    connectFail.increment();
    if (timedOut) {
      connectTimeout.increment();
    }
  }

  public void noHealthyHost() {
    noneHealthy.increment();
  }

  public void requestStarted() {
    rqStarted.increment();
    rqActive.incrementAndGet();
  }

  /** An upstream request ended; {@code status} 0 when it had no response. */
  public void requestFinished(int status, long durationNanos) {
    rqActive.decrementAndGet();
    if (status > 0) {
      rqTotal.count(status);
      rqByCode.count(status);
    }
    rqTime.record(durationNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void requestTimedOut() {
    rqTimeout.increment();
  }

  public void connectionOverflow() {
    cxOverflow.increment();
  }

  public void pendingOverflow() {
    rqPendingOverflow.increment();
  }

  public void pendingStarted() {
    rqPendingActive.incrementAndGet();
  }

  public void pendingFinished() {
    rqPendingActive.decrementAndGet();
  }

  /** The router's retry and per-try timeout counters. */
  public RetryStats retry() {
    return retry;
  }

  public void httpConnectionOpened(boolean http2) {
    (http2 ? cxHttp2 : cxHttp1).increment();
  }

  public void bytesReceived(int n) {
    rxBytes.increment(n);
  }

  public void bytesSent(int n) {
    txBytes.increment(n);
  }
}
