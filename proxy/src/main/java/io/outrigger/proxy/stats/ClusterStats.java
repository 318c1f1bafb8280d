package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** Upstream statistics of one cluster, all labelled {@code cluster}. */
public final class ClusterStats {
  private final Counter cxTotal;
  private final Counter cxDestroy;
  private final Counter connectFail;
  private final Counter connectTimeout;
  private final Counter noneHealthy;
  private final Counter rxBytes;
  private final Counter txBytes;
  private final AtomicLong cxActive = new AtomicLong();

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
    Gauge.builder("upstream_cx_active", cxActive, AtomicLong::get)
        .description("Upstream connections open")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
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

  public void bytesReceived(int n) {
    rxBytes.increment(n);
  }

  public void bytesSent(int n) {
    txBytes.increment(n);
  }
}
