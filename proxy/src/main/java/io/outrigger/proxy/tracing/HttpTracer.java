package io.outrigger.proxy.tracing;

import io.netty.handler.codec.http.HttpRequest;

/**
 * Starts the server span of each downstream request of one connection manager. Built once per
 * configuration snapshot, shared by every event loop.
 */
public interface HttpTracer {
  /** Tracing off: every stream gets {@link StreamSpan#NONE}; nothing is allocated. */
  HttpTracer NONE = (request, peerAddress, protocolVersion) -> StreamSpan.NONE;

  /**
   * Called on the stream's event loop once the connection manager prepared the request headers
   * (after {@code x-request-id} was set), before the HTTP filters run. Reads the incoming trace
   * context ({@code traceparent}/{@code tracestate}, else B3), decides sampling and starts the
   * server span.
   *
   * @param peerAddress the downstream peer's IP, for {@code network.peer.address}
   * @param protocolVersion {@code 1.0}, {@code 1.1} or {@code 2}
   * @return the stream's span; {@link StreamSpan#NONE} when tracing is off
   */
  StreamSpan startStream(HttpRequest request, String peerAddress, String protocolVersion);
}
