package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The statistics of one {@code tcp_proxy} {@code stat_prefix} in one listener, labelled {@code
 * listener} and {@code stat_prefix}: Envoy's {@code tcp.<stat_prefix>.} scope, which every {@code
 * tcp_proxy} with that prefix shares (summed in Envoy's form).
 */
public final class TcpProxyStats {
  private final Counter noRoute;

  TcpProxyStats(MeterRegistry registry, String listener, String statPrefix) {
    noRoute =
        Counter.builder("downstream_cx_no_route")
            .description("Downstream connections closed because their cluster had no host")
            .tag("listener", listener)
            .tag("stat_prefix", statPrefix)
            .register(registry);
  }

  /** The cluster was missing or had no usable host: the connection was closed. */
  public void noHost() {
    noRoute.increment();
  }
}
