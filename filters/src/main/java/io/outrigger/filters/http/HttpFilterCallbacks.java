package io.outrigger.filters.http;

import io.netty.util.concurrent.EventExecutor;

/**
 * What a filter may do to its stream. Given to the filter with every event; valid until the stream
 * completes. Every method must be called on {@link #executor()}.
 */
public interface HttpFilterCallbacks {
  /**
   * Answers the stream locally and ends it: the response goes back through the filters before this
   * one (Envoy's order), the request goes no further.
   *
   * @param status the HTTP status
   * @param body a short text body that names the rule that fired; may be empty
   * @param details the reason for the access log's {@code %RESPONSE_CODE_DETAILS%}
   * @param flag the response flag, or {@code null} for none
   */
  void sendLocalReply(int status, String body, String details, ResponseFlag flag);

  /** Resumes a request that this filter stopped with {@link FilterStatus#STOP_ITERATION}. */
  void continueRequest();

  /** The event loop of the stream; filters schedule timers here and never block it. */
  EventExecutor executor();

  /** What is known of the stream so far. */
  StreamInfo streamInfo();
}
