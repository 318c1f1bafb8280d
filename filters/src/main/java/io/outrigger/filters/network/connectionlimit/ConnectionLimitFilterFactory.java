package io.outrigger.filters.network.connectionlimit;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.outrigger.api.model.ConnectionLimitFilterConfig;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterFactory;
import io.outrigger.filters.stats.FilterMeters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds {@code envoy.filters.network.connection_limit} filters for one listener configuration. The
 * count of open connections belongs to the configuration, shared by every event loop, as in Envoy:
 * a listener update starts a new count (connections of the old configuration are not counted
 * against the new one), while the gauge, named by {@code stat_prefix}, shows the sum.
 */
public final class ConnectionLimitFilterFactory implements NetworkFilterFactory {
  private final String name;
  private final long maxConnections;
  private final long delayMillis;
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong activeGauge;
  private final Counter limited;

  public ConnectionLimitFilterFactory(ConnectionLimitFilterConfig config, FilterMeters meters) {
    requireNonNull(config, "config");
    this.name = config.name();
    this.maxConnections = config.maxConnections();
    this.delayMillis = config.delay().toMillis();
    this.activeGauge =
        meters.gauge(
            "connection_limit_active_connections",
            "Connections open through the connection_limit filter",
            "stat_prefix",
            config.statPrefix());
    this.limited =
        meters.counter(
            "connection_limit_limited_connections",
            "Connections closed for being over max_connections",
            "stat_prefix",
            config.statPrefix());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NetworkFilter create() {
    return new ConnectionLimitFilter(this);
  }

  /** Takes a slot for a new connection; false when {@code max_connections} are open. */
  boolean tryAcquire() {
    while (true) {
      long n = open.get();
      if (n >= maxConnections) {
        limited.increment();
        return false;
      }
      if (open.compareAndSet(n, n + 1)) {
        activeGauge.incrementAndGet();
        return true;
      }
    }
  }

  void release() {
    open.decrementAndGet();
    activeGauge.decrementAndGet();
  }

  long delayMillis() {
    return delayMillis;
  }
}
