package io.outrigger.filters.http;

/** What a filter tells the chain after handling an event. */
public enum FilterStatus {
  /** Pass the event to the next filter. */
  CONTINUE,
  /**
   * Do not pass it on now. The filter has either answered the stream ({@link
   * HttpFilterCallbacks#sendLocalReply}) or will call {@link HttpFilterCallbacks#continueRequest()}
   * later (after a delay, say). While stopped, the connection manager reads no more of the request.
   */
  STOP_ITERATION
}
