package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.rbac.RbacRules;
import java.util.Optional;

/**
 * {@code envoy.filters.http.rbac} ({@code extensions.filters.http.rbac.v3.RBAC}): allows or denies
 * each request by who sent it and what it asks for. A denied request gets a 403 local reply.
 *
 * @param name the filter name as configured
 * @param rules the enforced rules; empty means no enforcement (every request passes)
 * @param shadowRules rules that are evaluated and counted, never enforced; default empty
 * @param rulesStatPrefix {@code rules_stat_prefix}, a label of the enforced rules' statistics;
 *     default empty
 * @param shadowRulesStatPrefix {@code shadow_rules_stat_prefix}, likewise for the shadow rules;
 *     default empty
 */
public record RbacFilterConfig(
    String name,
    Optional<RbacRules> rules,
    Optional<RbacRules> shadowRules,
    String rulesStatPrefix,
    String shadowRulesStatPrefix)
    implements HttpFilterConfig {
  public static final String FILTER_NAME = "envoy.filters.http.rbac";
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC";

  public RbacFilterConfig {
    requireNonNull(name, "name");
    requireNonNull(rules, "rules");
    requireNonNull(shadowRules, "shadowRules");
    requireNonNull(rulesStatPrefix, "rulesStatPrefix");
    requireNonNull(shadowRulesStatPrefix, "shadowRulesStatPrefix");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
  }

  @Override
  public String typeUrl() {
    return TYPE_URL;
  }
}
