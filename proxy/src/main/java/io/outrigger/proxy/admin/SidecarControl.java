package io.outrigger.proxy.admin;

import io.outrigger.config.LoadedBootstrap;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.upstream.Cluster;
import java.time.Instant;
import java.util.Collection;

/**
 * What the admin endpoints may see and do of the running sidecar. Implemented by the sidecar; every
 * method is safe to call from the admin event loop and none blocks.
 */
public interface SidecarControl {
  ServerState state();

  ProxyStats stats();

  Collection<Cluster> clusters();

  /** The configuration that arrived over xDS; empty for a static bootstrap. */
  default java.util.Optional<DynamicResourcesView> dynamicResources() {
    return java.util.Optional.empty();
  }

  /** The bootstrap the sidecar runs, and when it was loaded. */
  LoadedBootstrap bootstrap();

  Instant bootstrapLoadedAt();

  /** Stops accepting on every listener and turns {@code /ready} to 503; connections go on. */
  void drainListeners();

  /** Stops at once, without draining; the process exits 0. */
  void quit();
}
