package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * {@code envoy.filters.network.connection_limit} ({@code
 * extensions.filters.network.connection_limit.v3.ConnectionLimit}): at most {@code maxConnections}
 * connections at once pass this filter of this filter chain; one more is closed, after {@code
 * delay} when set. Not terminal.
 *
 * @param name the filter name as configured
 * @param statPrefix {@code stat_prefix}, required, the label of the filter's statistics
 * @param maxConnections {@code max_connections}, required, at least 1
 * @param delay {@code delay}: how long a refused connection is held (read and discarded) before it
 *     is closed, to slow a client that retries at once; default {@link Duration#ZERO}, closed at
 *     once
 */
public record ConnectionLimitFilterConfig(
    String name, String statPrefix, long maxConnections, Duration delay)
    implements NetworkFilterConfig {
  public static final String FILTER_NAME = "envoy.filters.network.connection_limit";
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit";

  public ConnectionLimitFilterConfig {
    requireNonNull(name, "name");
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(delay, "delay");
    if (statPrefix.isEmpty()) {
      throw new IllegalArgumentException("stat_prefix: empty (expected: a non-empty string)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "max_connections: " + maxConnections + " (expected: at least 1)");
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
  }
}
