/**
 * Envoy's {@code envoy.filters.http.local_ratelimit}: a token bucket per filter config, shared by
 * every event loop, and one per {@code typed_per_filter_config} entry. See {@code docs/filters.md}.
 */
package io.outrigger.filters.http.ratelimit;
