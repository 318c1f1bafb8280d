package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * {@code config.core.v3.HttpProtocolOptions} as the connection manager's {@code
 * common_http_protocol_options}.
 *
 * @param idleTimeout close a downstream connection that has had no active stream for this long;
 *     Envoy's default is 1 hour; {@link Duration#ZERO} disables it
 * @param maxHeadersCount requests with more headers are answered 431; Envoy's default is 100, at
 *     least 1
 * @param maxStreamDuration reset a stream that lasts longer than this, whatever it is doing; {@link
 *     Duration#ZERO} (the default) means no limit
 * @param maxConnectionDuration drain a downstream connection this long after it opened (HTTP/1.1:
 *     {@code Connection: close} on the next response, or closed at once when idle; HTTP/2: GOAWAY,
 *     then closed when its streams end); {@link Duration#ZERO} (the default) means no limit
 * @param maxRequestsPerConnection drain a downstream connection after this many requests; 0 (the
 *     default) means no limit
 * @param headersWithUnderscoresAction what becomes of request headers with underscores in their
 *     names; default {@link HeadersWithUnderscoresAction#ALLOW}
 */
public record HttpProtocolOptionsConfig(
    Duration idleTimeout,
    int maxHeadersCount,
    Duration maxStreamDuration,
    Duration maxConnectionDuration,
    int maxRequestsPerConnection,
    HeadersWithUnderscoresAction headersWithUnderscoresAction) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
  public static final int DEFAULT_MAX_HEADERS_COUNT = 100;
  public static final HttpProtocolOptionsConfig DEFAULTS =
      new HttpProtocolOptionsConfig(
          DEFAULT_IDLE_TIMEOUT,
          DEFAULT_MAX_HEADERS_COUNT,
          Duration.ZERO,
          Duration.ZERO,
          0,
          HeadersWithUnderscoresAction.ALLOW);

  public HttpProtocolOptionsConfig {
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(maxStreamDuration, "maxStreamDuration");
    requireNonNull(maxConnectionDuration, "maxConnectionDuration");
    requireNonNull(headersWithUnderscoresAction, "headersWithUnderscoresAction");
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idle_timeout: " + idleTimeout + " (expected: >= 0)");
    }
    if (maxHeadersCount < 1) {
      throw new IllegalArgumentException(
          "max_headers_count: " + maxHeadersCount + " (expected: >= 1)");
    }
    if (maxStreamDuration.isNegative()) {
      throw new IllegalArgumentException(
          "max_stream_duration: " + maxStreamDuration + " (expected: >= 0)");
    }
    if (maxConnectionDuration.isNegative()) {
      throw new IllegalArgumentException(
          "max_connection_duration: " + maxConnectionDuration + " (expected: >= 0)");
    }
    if (maxRequestsPerConnection < 0) {
      throw new IllegalArgumentException(
          "max_requests_per_connection: " + maxRequestsPerConnection + " (expected: >= 0)");
    }
  }
}
