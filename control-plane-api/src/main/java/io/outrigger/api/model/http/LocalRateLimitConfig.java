package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * {@code envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit}: Envoy's local rate limit
 * filter, at the filter level or as a route's or virtual host's {@code typed_per_filter_config}
 * (which then has its own token bucket and statistics).
 *
 * <p><b>As in Envoy, the filter does nothing unless {@code filter_enabled} is set</b>: both {@code
 * filterEnabled} and {@code filterEnforced} default to 0%. A request that is enabled takes a token;
 * without one it is counted {@code rate_limited}, and answered {@code status} only when it is also
 * enforced.
 *
 * @param name the filter name as configured (for a per-route config: the map key)
 * @param statPrefix labels this config's statistics; required
 * @param status the status of a limited request; default 429; Envoy answers 429 for any status
 *     below 400
 * @param tokenBucket the bucket; required per route, optional at the filter level (where none means
 *     no limit, so that only routes limit)
 * @param filterEnabled the share of requests checked against the bucket; default 0% (disabled)
 * @param filterEnforced the share of limited requests answered with {@code status}; default 0%
 *     (counted only)
 * @param responseHeadersToAdd headers added to the limited answer
 */
public record LocalRateLimitConfig(
    String name,
    String statPrefix,
    int status,
    Optional<TokenBucketConfig> tokenBucket,
    FractionalPercent filterEnabled,
    FractionalPercent filterEnforced,
    HeaderMutation responseHeadersToAdd)
    implements HttpFilterConfig {
  public static final String FILTER_NAME = "envoy.filters.http.local_ratelimit";
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";
  public static final int DEFAULT_STATUS = 429;

  public LocalRateLimitConfig {
    requireNonNull(name, "name");
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(tokenBucket, "tokenBucket");
    requireNonNull(filterEnabled, "filterEnabled");
    requireNonNull(filterEnforced, "filterEnforced");
    requireNonNull(responseHeadersToAdd, "responseHeadersToAdd");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
    if (statPrefix.isEmpty()) {
      throw new IllegalArgumentException("stat_prefix: empty (expected: a non-empty string)");
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
    }
    if (status < 400) {
      status = DEFAULT_STATUS; // Envoy's toErrorCode: a non-error status means 429
    }
    if (!responseHeadersToAdd.toRemove().isEmpty()) {
      throw new IllegalArgumentException("response_headers_to_add: removes are not supported");
    }
  }

  @Override
  public String typeUrl() {
    return TYPE_URL;
  }
}
