package io.outrigger.api.model.rbac;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code config.rbac.v3.Policy}: matches when any of its permissions and any of its principals
 * match.
 *
 * @param permissions OR'ed; at least one
 * @param principals OR'ed; at least one
 */
public record RbacPolicy(List<RbacPermission> permissions, List<RbacPrincipal> principals) {
  public RbacPolicy {
    permissions = List.copyOf(requireNonNull(permissions, "permissions"));
    principals = List.copyOf(requireNonNull(principals, "principals"));
    if (permissions.isEmpty()) {
      throw new IllegalArgumentException("permissions: empty (expected: at least one)");
    }
    if (principals.isEmpty()) {
      throw new IllegalArgumentException("principals: empty (expected: at least one)");
    }
  }
}
