package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.outrigger.api.model.ResourceLimitsConfig;
import java.util.Optional;

/**
 * Translates a cluster's {@code circuit_breakers} into {@link ResourceLimitsConfig}. Only the
 * DEFAULT priority exists in Outrigger: routes have no {@code priority}, so a HIGH threshold could
 * never apply and is refused rather than silently ignored.
 */
final class ResourceLimitsTranslator {
  private ResourceLimitsTranslator() {}

  static ResourceLimitsConfig translate(Cluster cluster, String clusterPath)
      throws ConfigException {
    if (!cluster.hasCircuitBreakers()) {
      return ResourceLimitsConfig.DEFAULT;
    }
    CircuitBreakers cb = cluster.getCircuitBreakers();
    String path = Paths.field(clusterPath, "circuit_breakers");
    CircuitBreakers.Thresholds found = null;
    for (int i = 0; i < cb.getThresholdsCount(); i++) {
      CircuitBreakers.Thresholds t = cb.getThresholds(i);
      String at = Paths.item(path, "thresholds", i);
      if (t.getPriority() != RoutingPriority.DEFAULT) {
        throw ConfigException.at(
            Paths.field(at, "priority"),
            t.getPriority()
                + " not supported (expected: DEFAULT; routes have no priority in Outrigger, so"
                + " these thresholds would never apply)");
      }
      if (found != null) {
        throw ConfigException.at(at, "a second DEFAULT threshold (expected: one per priority)");
      }
      found = t;
    }
    return found == null ? ResourceLimitsConfig.DEFAULT : thresholds(found, path + ".thresholds");
  }

  private static ResourceLimitsConfig thresholds(CircuitBreakers.Thresholds t, String path)
      throws ConfigException {
    Optional<ResourceLimitsConfig.RetryBudget> budget = Optional.empty();
    if (t.hasRetryBudget()) {
      var b = t.getRetryBudget();
      try {
        budget =
            Optional.of(
                new ResourceLimitsConfig.RetryBudget(
                    b.hasBudgetPercent()
                        ? b.getBudgetPercent().getValue()
                        : ResourceLimitsConfig.RetryBudget.DEFAULT_BUDGET_PERCENT,
                    b.hasMinRetryConcurrency()
                        ? clamp(b.getMinRetryConcurrency().getValue())
                        : ResourceLimitsConfig.RetryBudget.DEFAULT_MIN_RETRY_CONCURRENCY));
      } catch (IllegalArgumentException e) {
        throw Paths.fromModel(Paths.field(path, "retry_budget"), e);
      }
    }
    try {
      return new ResourceLimitsConfig(
          t.hasMaxConnections()
              ? clamp(t.getMaxConnections().getValue())
              : ResourceLimitsConfig.DEFAULT_MAX_CONNECTIONS,
          t.hasMaxPendingRequests()
              ? clamp(t.getMaxPendingRequests().getValue())
              : ResourceLimitsConfig.DEFAULT_MAX_PENDING_REQUESTS,
          t.hasMaxRequests()
              ? clamp(t.getMaxRequests().getValue())
              : ResourceLimitsConfig.DEFAULT_MAX_REQUESTS,
          t.hasMaxRetries()
              ? clamp(t.getMaxRetries().getValue())
              : ResourceLimitsConfig.DEFAULT_MAX_RETRIES,
          budget,
          t.getTrackRemaining());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** A uint32 as a Java int; past {@code Integer.MAX_VALUE} is as good as unlimited. */
  private static int clamp(int unsigned) {
    return (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(unsigned));
  }
}
