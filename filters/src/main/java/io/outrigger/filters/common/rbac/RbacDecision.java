package io.outrigger.filters.common.rbac;

/**
 * What an RBAC engine decided for one connection or request.
 *
 * @param allowed whether it may proceed
 * @param matchedPolicy the name of the first policy (in name order) that matched; {@code null} when
 *     none did
 */
public record RbacDecision(boolean allowed, String matchedPolicy) {
  /** The matched policy's name, or {@code none}, as Envoy's response code details print it. */
  public String policyOrNone() {
    return matchedPolicy == null ? "none" : matchedPolicy;
  }
}
