package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** Downstream statistics of one listener, all labelled {@code listener}. */
public final class ListenerStats implements DownstreamConnectionStats {
  private final Counter cxTotal;
  private final Counter cxDestroy;
  private final Counter rxBytes;
  private final Counter txBytes;
  private final Counter preCxTimeout;
  private final Counter noFilterChainMatch;
  private final AtomicLong cxActive = new AtomicLong();

  ListenerStats(MeterRegistry registry, String listener) {
    cxTotal = counter(registry, "downstream_cx_total", listener, "Downstream connections accepted");
    cxDestroy =
        counter(registry, "downstream_cx_destroy", listener, "Downstream connections closed");
    rxBytes =
        counter(registry, "downstream_cx_rx_bytes_total", listener, "Bytes read from downstream");
    txBytes =
        counter(registry, "downstream_cx_tx_bytes_total", listener, "Bytes written to downstream");
    preCxTimeout =
        counter(
            registry,
            "downstream_pre_cx_timeout",
            listener,
            "Connections whose listener filters timed out");
    noFilterChainMatch =
        counter(
            registry,
            "no_filter_chain_match",
            listener,
            "Connections closed because no filter chain matched");
    Gauge.builder("downstream_cx_active", cxActive, AtomicLong::get)
        .description("Downstream connections open")
        .tag("listener", listener)
        .strongReference(true)
        .register(registry);
  }

  private static Counter counter(
      MeterRegistry registry, String name, String listener, String help) {
    return Counter.builder(name).description(help).tag("listener", listener).register(registry);
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

  /** {@code listener_filters_timeout} expired before the listener filters were done. */
  public void preConnectionTimeout() {
    preCxTimeout.increment();
  }

  /** No filter chain (and no default chain) matched: the connection was closed. */
  public void noFilterChainMatch() {
    noFilterChainMatch.increment();
  }

  public long activeConnections() {
    return cxActive.get();
  }
}
