package io.outrigger.filters.common.rbac;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.rbac.RbacPolicy;
import io.outrigger.api.model.rbac.RbacRules;
import java.util.Map;

/**
 * Envoy's {@code RoleBasedAccessControlEngineImpl} for one {@link RbacRules}: the policies are
 * tried in name order; the first whose permissions (any of them) and principals (any of them) both
 * match is the matched policy. ALLOW allows exactly when a policy matched, DENY exactly when none
 * did. Compiled once per configuration snapshot; immutable, used from every event loop.
 */
public final class RbacEngine {
  private final boolean allowOnMatch;
  private final String[] names;
  private final RbacMatcher[] permissions;
  private final RbacMatcher[] principals;

  public RbacEngine(RbacRules rules) {
    requireNonNull(rules, "rules");
    this.allowOnMatch = rules.action() == RbacRules.Action.ALLOW;
    int n = rules.policies().size();
    names = new String[n];
    permissions = new RbacMatcher[n];
    principals = new RbacMatcher[n];
    int i = 0;
    for (Map.Entry<String, RbacPolicy> e : rules.policies().entrySet()) {
      names[i] = e.getKey();
      permissions[i] =
          RbacMatchers.any(
              e.getValue().permissions().stream().map(RbacMatchers::permission).toList());
      principals[i] =
          RbacMatchers.any(
              e.getValue().principals().stream().map(RbacMatchers::principal).toList());
      i++;
    }
  }

  /** Decides for {@code request}; never throws. */
  public RbacDecision evaluate(RbacRequest request) {
    for (int i = 0; i < names.length; i++) {
      if (permissions[i].matches(request) && principals[i].matches(request)) {
        return new RbacDecision(allowOnMatch, names[i]);
      }
    }
    return new RbacDecision(!allowOnMatch, null);
  }
}
