package io.outrigger.api.model.rbac;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code config.rbac.v3.RBAC}: an action and named policies.
 *
 * <p>Envoy's engine: the policies are tried in name order and the first that matches is the
 * request's matched policy. {@link Action#ALLOW} lets through exactly the requests a policy
 * matches; {@link Action#DENY} refuses exactly those. No policy with ALLOW refuses everything; no
 * policy with DENY allows everything.
 *
 * @param action what a match means
 * @param policies by name, kept in name order; may be empty
 */
public record RbacRules(Action action, Map<String, RbacPolicy> policies) {

  /** {@code config.rbac.v3.RBAC.Action}, without LOG (refused by the translator). */
  public enum Action {
    ALLOW,
    DENY
  }

  public RbacRules {
    requireNonNull(action, "action");
    policies = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(policies, "policies")));
  }
}
