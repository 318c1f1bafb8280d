package io.outrigger.api.model.overload;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bootstrap's {@code overload_manager}.
 *
 * @param refreshInterval how often the reactive monitors are read and the actions decided; Envoy's
 *     default is 1 s
 * @param heap the {@code envoy.resource_monitors.fixed_heap} monitor, if configured
 * @param maxActiveDownstreamConnections {@code
 *     envoy.resource_monitors.global_downstream_max_connections}: a connection accepted while this
 *     many are open on every listener together is closed at once; empty for no limit
 * @param actions the actions and their triggers; each action at most once
 */
public record OverloadManagerConfig(
    Duration refreshInterval,
    Optional<FixedHeapMonitorConfig> heap,
    Optional<Long> maxActiveDownstreamConnections,
    List<OverloadActionConfig> actions) {
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

  public OverloadManagerConfig {
    requireNonNull(refreshInterval, "refreshInterval");
    requireNonNull(heap, "heap");
    requireNonNull(maxActiveDownstreamConnections, "maxActiveDownstreamConnections");
    actions = List.copyOf(requireNonNull(actions, "actions"));
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException(
          "refresh_interval: " + refreshInterval + " (expected: more than 0)");
    }
    maxActiveDownstreamConnections.ifPresent(
        max -> {
          if (max < 1) {
            throw new IllegalArgumentException(
                "max_active_downstream_connections: " + max + " (expected: at least 1)");
          }
        });
    Set<OverloadAction> seen = new HashSet<>();
    for (OverloadActionConfig a : actions) {
      if (!seen.add(a.action())) {
        throw new IllegalArgumentException(
            "actions: " + a.action().envoyName() + " appears twice (expected: each action once)");
      }
    }
  }
}
