package io.outrigger.proxy.tracing;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.http.StreamInfo;
import java.net.InetSocketAddress;

/**
 * The server span of one downstream request. Used on the stream's event loop only; {@link #end} is
 * called exactly once, when the stream completes (response sent, reset, or downstream gone).
 */
public interface StreamSpan {
  /** No tracing: no trace id, attempts get {@link AttemptSpan#NONE}, ending does nothing. */
  StreamSpan NONE =
      new StreamSpan() {
        @Override
        public String traceId() {
          return null;
        }

        @Override
        public AttemptSpan startAttempt(
            HttpRequest upstreamRequest, int number, String cluster, InetSocketAddress host) {
          return AttemptSpan.NONE;
        }

        @Override
        public void end(StreamInfo info) {}
      };

  /** The 32-hex-digit trace id (also for an unsampled trace), or {@code null} without tracing. */
  String traceId();

  /**
   * Starts the client span of one upstream attempt, a child of this span, and writes its context
   * into {@code upstreamRequest} as {@code traceparent} (and {@code tracestate}), removing any
   * incoming {@code traceparent}, {@code tracestate} and B3 headers first.
   *
   * @param number 1 for the first attempt, 2, 3, … for retries and hedges
   * @param host the upstream host's address
   */
  AttemptSpan startAttempt(
      HttpRequest upstreamRequest, int number, String cluster, InetSocketAddress host);

  /** Sets the response attributes and the status from {@code info} and ends the span. */
  void end(StreamInfo info);
}
