package io.outrigger.proxy.tracing;

/**
 * The client span of one upstream attempt. Used on the stream's event loop; the first call to
 * {@link #end} ends it, later calls do nothing.
 */
public interface AttemptSpan {
  /** No tracing. */
  AttemptSpan NONE = (status, outcome) -> {};

  /**
   * Ends the span.
   *
   * @param status the upstream's response code, or 0 when none arrived
   * @param outcome how the attempt ended, one of {@code completed}, {@code retried}, {@code
   *     hedge_lost}, {@code cancelled}, {@code connect_failure}, {@code reset}, {@code
   *     per_try_timeout}, {@code overflow}; the last four and a 5xx status mark the span as an
   *     error
   */
  void end(int status, String outcome);
}
