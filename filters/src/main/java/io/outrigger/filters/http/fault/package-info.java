/**
 * Envoy's {@code envoy.filters.http.fault}: delays and aborts for a share of requests, chosen by
 * route cluster, downstream node and headers, or asked for by request headers. See {@code
 * docs/filters.md}.
 */
package io.outrigger.filters.http.fault;
