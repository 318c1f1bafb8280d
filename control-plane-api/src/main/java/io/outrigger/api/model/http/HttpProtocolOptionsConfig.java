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
 */
public record HttpProtocolOptionsConfig(
    Duration idleTimeout, int maxHeadersCount, Duration maxStreamDuration) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
  public static final int DEFAULT_MAX_HEADERS_COUNT = 100;
  public static final HttpProtocolOptionsConfig DEFAULTS =
      new HttpProtocolOptionsConfig(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_HEADERS_COUNT, Duration.ZERO);

  public HttpProtocolOptionsConfig {
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(maxStreamDuration, "maxStreamDuration");
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
  }
}
