package io.outrigger.filters.network.rbac;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.RbacNetworkFilterConfig;
import io.outrigger.filters.common.rbac.RbacDenialLog;
import io.outrigger.filters.common.rbac.RbacEngine;
import io.outrigger.filters.common.rbac.RbacStats;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterFactory;
import io.outrigger.filters.stats.FilterMeters;
import java.util.function.LongSupplier;

/**
 * Builds {@code envoy.filters.network.rbac} filters for one listener configuration; the engines are
 * compiled here, once. It asks for the TLS handshake ({@link #needsTlsHandshake()}), so that on a
 * TLS chain the rules see the verified peer certificate.
 */
public final class RbacNetworkFilterFactory implements NetworkFilterFactory {
  private final String name;
  private final RbacEngine enforced;
  private final RbacEngine shadow;
  private final RbacStats stats;
  private final RbacDenialLog denials;

  /**
   * @param listener the listener's name, for the denial log
   * @param nanoClock monotonic nanoseconds, for the denial log's rate
   */
  public RbacNetworkFilterFactory(
      RbacNetworkFilterConfig config,
      String listener,
      FilterMeters meters,
      LongSupplier nanoClock) {
    requireNonNull(config, "config");
    this.name = config.name();
    this.enforced = config.rules().map(RbacEngine::new).orElse(null);
    this.shadow = config.shadowRules().map(RbacEngine::new).orElse(null);
    this.stats =
        new RbacStats(meters, "network", config.statPrefix(), "", config.shadowRulesStatPrefix());
    this.denials = new RbacDenialLog("network " + listener + "/" + config.statPrefix(), nanoClock);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NetworkFilter create() {
    return new RbacNetworkFilter(enforced, shadow, stats, denials);
  }

  @Override
  public boolean needsTlsHandshake() {
    return true;
  }
}
