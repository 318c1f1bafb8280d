package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How a cluster speaks HTTP to its hosts: Envoy's {@code
 * envoy.extensions.upstreams.http.v3.HttpProtocolOptions}, given in the cluster's {@code
 * typed_extension_protocol_options}, with Envoy's defaults filled. Without it a cluster speaks
 * HTTP/1.1 ({@link #DEFAULT}).
 *
 * @param protocol the protocol of upstream connections ({@code explicit_http_config}); default
 *     {@link Protocol#HTTP1}
 * @param idleTimeout an upstream connection with no active request is closed after this long
 *     ({@code common_http_protocol_options.idle_timeout}); default 1 h; {@link Duration#ZERO}
 *     disables it
 * @param maxRequestsPerConnection the most requests sent on one connection before it is closed
 *     ({@code max_requests_per_connection}); default 0, no limit
 * @param maxConnectionDuration an upstream connection is drained after this long since it was
 *     established ({@code max_connection_duration}); default empty, no limit; when present, > 0
 * @param maxConcurrentStreams HTTP/2 only: the most streams opened at once on one connection
 *     ({@code http2_protocol_options.max_concurrent_streams}); default 2147483647, 1..2147483647
 * @param initialStreamWindowSize HTTP/2 only: the stream-level flow-control window ({@code
 *     initial_stream_window_size}); default 268435456 (256 MiB), 65535..2147483647
 * @param initialConnectionWindowSize HTTP/2 only: the connection-level flow-control window ({@code
 *     initial_connection_window_size}); default 268435456 (256 MiB), 65535..2147483647
 */
public record UpstreamHttpOptions(
    Protocol protocol,
    Duration idleTimeout,
    long maxRequestsPerConnection,
    Optional<Duration> maxConnectionDuration,
    int maxConcurrentStreams,
    int initialStreamWindowSize,
    int initialConnectionWindowSize) {

  /** The protocol of upstream connections. */
  public enum Protocol {
    /** HTTP/1.1 ({@code explicit_http_config.http_protocol_options}); the default. */
    HTTP1,
    /** HTTP/2 with prior knowledge ({@code explicit_http_config.http2_protocol_options}). */
    HTTP2
  }

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = Integer.MAX_VALUE;
  public static final int DEFAULT_WINDOW_SIZE = 256 * 1024 * 1024;
  public static final int MIN_WINDOW_SIZE = 65535;

  /** HTTP/1.1 with Envoy's defaults: what a cluster without protocol options speaks. */
  public static final UpstreamHttpOptions DEFAULT = defaults(Protocol.HTTP1);

  public UpstreamHttpOptions {
    requireNonNull(protocol, "protocol");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(maxConnectionDuration, "maxConnectionDuration");
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idle_timeout: " + idleTimeout + " (expected: >= 0)");
    }
    if (maxRequestsPerConnection < 0) {
      throw new IllegalArgumentException(
          "max_requests_per_connection: "
              + maxRequestsPerConnection
              + " (expected: >= 0; 0 for no limit)");
    }
    maxConnectionDuration.ifPresent(
        d -> {
          if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(
                "max_connection_duration: " + d + " (expected: > 0; unset for no limit)");
          }
        });
    if (maxConcurrentStreams < 1) {
      throw new IllegalArgumentException(
          "max_concurrent_streams: "
              + maxConcurrentStreams
              + " (expected: 1.."
              + Integer.MAX_VALUE
              + ")");
    }
    checkWindow("initial_stream_window_size", initialStreamWindowSize);
    checkWindow("initial_connection_window_size", initialConnectionWindowSize);
  }

  /** {@code protocol} with Envoy's defaults for everything else. */
  public static UpstreamHttpOptions defaults(Protocol protocol) {
    return new UpstreamHttpOptions(
        protocol,
        DEFAULT_IDLE_TIMEOUT,
        0,
        Optional.empty(),
        DEFAULT_MAX_CONCURRENT_STREAMS,
        DEFAULT_WINDOW_SIZE,
        DEFAULT_WINDOW_SIZE);
  }

  /** Whether {@link #maxRequestsPerConnection} limits anything. */
  public boolean limitsRequestsPerConnection() {
    return maxRequestsPerConnection > 0;
  }

  private static void checkWindow(String field, int size) {
    if (size < MIN_WINDOW_SIZE) {
      throw new IllegalArgumentException(
          field + ": " + size + " (expected: " + MIN_WINDOW_SIZE + ".." + Integer.MAX_VALUE + ")");
    }
  }
}
