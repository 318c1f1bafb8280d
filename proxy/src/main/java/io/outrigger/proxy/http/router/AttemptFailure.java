package io.outrigger.proxy.http.router;

/** Why an attempt ended without a response the router could forward. */
enum AttemptFailure {
  /** The connection to the host could not be opened (or the connect timed out). */
  CONNECT_FAILURE,
  /** The connection or stream closed or reset before the response headers. */
  RESET,
  /** The HTTP/2 upstream refused the stream. */
  REFUSED_STREAM,
  /** The attempt's per-try (or per-try idle) timeout fired. */
  PER_TRY_TIMEOUT,
  /** A resource limit refused the attempt; never retried. */
  OVERFLOW
}
