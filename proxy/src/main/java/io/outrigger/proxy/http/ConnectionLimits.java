package io.outrigger.proxy.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What bounds one downstream connection of a connection manager, against slow clients and clients
 * that would hold a connection forever. Zero disables each.
 *
 * @param requestHeadersTimeout {@code request_headers_timeout}: from the first byte of an HTTP/1.1
 *     request to the end of its headers; past it, 408 and the connection closes
 * @param maxConnectionDuration {@code common_http_protocol_options.max_connection_duration}: the
 *     connection drains this long after it opened
 * @param maxRequestsPerConnection {@code common_http_protocol_options.max_requests_per_connection}:
 *     the connection drains after this many requests
 */
public record ConnectionLimits(
    Duration requestHeadersTimeout, Duration maxConnectionDuration, int maxRequestsPerConnection) {
  public static final ConnectionLimits NONE = new ConnectionLimits(Duration.ZERO, Duration.ZERO, 0);

  public ConnectionLimits {
    requireNonNull(requestHeadersTimeout, "requestHeadersTimeout");
    requireNonNull(maxConnectionDuration, "maxConnectionDuration");
  }

  /** Whether the {@code n}th request (from 1) is the last this connection may carry. */
  boolean isLastRequest(long n) {
    return maxRequestsPerConnection > 0 && n >= maxRequestsPerConnection;
  }
}
