package io.outrigger.filters.common.rbac;

import io.micrometer.core.instrument.Counter;
import io.outrigger.filters.stats.FilterMeters;

/**
 * Envoy's RBAC statistics ({@code <stat_prefix>rbac.allowed}, {@code rbac.denied}, {@code
 * rbac.shadow_allowed}, {@code rbac.shadow_denied}) as {@code rbac_allowed{filter, stat_prefix,
 * rules_stat_prefix}} and so on: {@code filter} is {@code http} or {@code network}, {@code
 * stat_prefix} the connection manager's (HTTP) or the filter's own (network), {@code
 * rules_stat_prefix} the configured {@code rules_stat_prefix} for the enforced counters and {@code
 * shadow_rules_stat_prefix} for the shadow ones. Every label comes from configuration; no principal
 * ever becomes a label. Shared across snapshots through {@link FilterMeters}.
 */
public final class RbacStats {
  private final Counter allowed;
  private final Counter denied;
  private final Counter shadowAllowed;
  private final Counter shadowDenied;

  /**
   * @param filter {@code http} or {@code network}
   */
  public RbacStats(
      FilterMeters meters,
      String filter,
      String statPrefix,
      String rulesStatPrefix,
      String shadowRulesStatPrefix) {
    allowed =
        counter(
            meters,
            "rbac_allowed",
            "Allowed by the RBAC rules",
            filter,
            statPrefix,
            rulesStatPrefix);
    denied =
        counter(
            meters, "rbac_denied", "Denied by the RBAC rules", filter, statPrefix, rulesStatPrefix);
    shadowAllowed =
        counter(
            meters,
            "rbac_shadow_allowed",
            "Allowed by the RBAC shadow rules (not enforced)",
            filter,
            statPrefix,
            shadowRulesStatPrefix);
    shadowDenied =
        counter(
            meters,
            "rbac_shadow_denied",
            "Denied by the RBAC shadow rules (not enforced)",
            filter,
            statPrefix,
            shadowRulesStatPrefix);
  }

  private static Counter counter(
      FilterMeters meters,
      String name,
      String description,
      String filter,
      String statPrefix,
      String rulesStatPrefix) {
    return meters.counter(
        name,
        description,
        "filter",
        filter,
        "stat_prefix",
        statPrefix,
        "rules_stat_prefix",
        rulesStatPrefix);
  }

  /** Counts an enforced decision. */
  public void enforced(RbacDecision d) {
    (d.allowed() ? allowed : denied).increment();
  }

  /** Counts a shadow decision. */
  public void shadow(RbacDecision d) {
    (d.allowed() ? shadowAllowed : shadowDenied).increment();
  }
}
