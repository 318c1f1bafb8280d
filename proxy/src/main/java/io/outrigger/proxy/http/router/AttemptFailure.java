package io.outrigger.proxy.http.router;

import io.outrigger.filters.http.ResponseFlag;

/**
 * Why an attempt ended without a response the router could forward, and Envoy's answer when it was
 * the last attempt: the status, the body, the response details and the flag.
 */
enum AttemptFailure {
  /** The connection to the host could not be opened (or the connect timed out). */
  CONNECT_FAILURE(
      503,
      "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
      "upstream_reset_before_response_started{connection_failure}",
      ResponseFlag.UF),
  /** The connection or stream closed or reset before the response headers. */
  RESET(
      503,
      "upstream connect error or disconnect/reset before headers."
          + " reset reason: connection termination",
      "upstream_reset_before_response_started{connection_termination}",
      ResponseFlag.UC),
  /**
   * The upstream's response broke HTTP (a status line that does not parse or lies outside 100–599,
   * a transfer coding other than chunked): 502, as Envoy answers an upstream protocol error.
   */
  PROTOCOL_ERROR(
      502,
      "upstream connect error or disconnect/reset before headers. reset reason: protocol error",
      "upstream_reset_before_response_started{protocol_error}",
      ResponseFlag.UPE),
  /** The HTTP/2 upstream refused the stream. */
  REFUSED_STREAM(
      503,
      "upstream connect error or disconnect/reset before headers."
          + " reset reason: remote refused stream reset",
      "upstream_reset_before_response_started{remote_refused_stream_reset}",
      ResponseFlag.UR),
  /** The attempt's per-try (or per-try idle) timeout fired. */
  PER_TRY_TIMEOUT(504, "upstream request timeout", "upstream_per_try_timeout", ResponseFlag.UT),
  /** A resource limit refused the attempt; never retried, answered by the overflow reply. */
  OVERFLOW(503, "upstream overflow", "upstream_overflow", ResponseFlag.UO);

  final int status;
  final String body;
  final String details;
  final ResponseFlag flag;

  AttemptFailure(int status, String body, String details, ResponseFlag flag) {
    this.status = status;
    this.body = body;
    this.details = details;
    this.flag = flag;
  }
}
