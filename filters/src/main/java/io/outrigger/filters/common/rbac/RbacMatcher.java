package io.outrigger.filters.common.rbac;

/** One compiled node of a permission or principal tree. Immutable; safe on every event loop. */
@FunctionalInterface
interface RbacMatcher {
  boolean matches(RbacRequest request);
}
