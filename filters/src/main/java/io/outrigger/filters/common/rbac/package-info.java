/**
 * What the HTTP and the network RBAC filters share, as Envoy's {@code filters/common/rbac}: the
 * engine that evaluates {@code config.rbac.v3} rules against an {@link
 * io.outrigger.filters.common.rbac.RbacRequest}, the statistics and the denial log.
 */
package io.outrigger.filters.common.rbac;
