/**
 * {@code envoy.filters.network.rbac}: allows or closes new connections by the downstream's identity
 * (verified certificate, address) and where it connected (local address, port, SNI), with shadow
 * rules that only count. See {@code docs/filters.md}.
 */
package io.outrigger.filters.network.rbac;
