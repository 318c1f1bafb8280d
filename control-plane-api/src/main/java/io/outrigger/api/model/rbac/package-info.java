/**
 * Envoy's {@code config.rbac.v3} as immutable records: {@link
 * io.outrigger.api.model.rbac.RbacRules} (action and named policies), each {@link
 * io.outrigger.api.model.rbac.RbacPolicy} a list of permission trees and a list of principal trees.
 * Shared by the HTTP and the network RBAC filters.
 */
package io.outrigger.api.model.rbac;
