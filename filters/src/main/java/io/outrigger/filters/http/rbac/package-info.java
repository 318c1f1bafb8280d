/**
 * {@code envoy.filters.http.rbac}: allows or denies requests by the downstream's identity (its
 * verified certificate, its address) and what it asks for (method, path, headers), with shadow
 * rules that only count. See {@code docs/filters.md}.
 */
package io.outrigger.filters.http.rbac;
