package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.rbac.RbacRules;
import java.util.Optional;

/**
 * {@code envoy.filters.network.rbac} ({@code extensions.filters.network.rbac.v3.RBAC}): allows or
 * closes each new connection by who the downstream is (its address, its verified client
 * certificate) and where it connected (local address and port, SNI). Not terminal.
 *
 * <p>On a TLS filter chain it decides once the handshake completed, with the verified peer
 * certificate; on a plaintext chain when the connection is accepted. Header and path matchers,
 * which need a request, are refused by the translator.
 *
 * @param name the filter name as configured
 * @param statPrefix {@code stat_prefix}, required, a label of the filter's statistics
 * @param rules the enforced rules; empty means no enforcement
 * @param shadowRules evaluated and counted, never enforced; default empty
 * @param shadowRulesStatPrefix a label of the shadow rules' statistics; default empty
 * @param enforcementType when the rules are evaluated; default {@link
 *     EnforcementType#ONE_TIME_ON_FIRST_BYTE}
 */
public record RbacNetworkFilterConfig(
    String name,
    String statPrefix,
    Optional<RbacRules> rules,
    Optional<RbacRules> shadowRules,
    String shadowRulesStatPrefix,
    EnforcementType enforcementType)
    implements NetworkFilterConfig {
  public static final String FILTER_NAME = "envoy.filters.network.rbac";
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC";

  /**
   * Envoy's {@code enforcement_type}. The rules can only read what the connection carries from its
   * start (addresses, certificate, SNI), which no later byte changes, so {@link #CONTINUOUS}
   * decides exactly as {@link #ONE_TIME_ON_FIRST_BYTE} does.
   */
  public enum EnforcementType {
    ONE_TIME_ON_FIRST_BYTE,
    CONTINUOUS
  }

  public RbacNetworkFilterConfig {
    requireNonNull(name, "name");
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(rules, "rules");
    requireNonNull(shadowRules, "shadowRules");
    requireNonNull(shadowRulesStatPrefix, "shadowRulesStatPrefix");
    requireNonNull(enforcementType, "enforcementType");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
    if (statPrefix.isEmpty()) {
      throw new IllegalArgumentException("stat_prefix: empty (expected: a statistics prefix)");
    }
  }
}
