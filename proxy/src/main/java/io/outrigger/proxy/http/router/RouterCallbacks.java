package io.outrigger.proxy.http.router;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.tracing.StreamSpan;
import java.net.InetSocketAddress;

/**
 * What the {@link Router} may ask of and do to its downstream stream (Envoy's {@code
 * StreamDecoderFilterCallbacks}, narrowed to what the router uses): read the request's state, take
 * the body that arrived before routing, pace the downstream reads, write the response, answer
 * locally, reset, and carry the route timeout on the stream's timer.
 *
 * <p>The connection manager's stream implements it and makes one {@link Router} per routed request.
 * Every method is called on the downstream connection's event loop (the router's), never from
 * another thread, and none blocks. The router ends its side before it answers or resets, and the
 * stream cancels the router ({@link Router#cancel()}) whenever it ends for another reason, so
 * nothing is written for a stream that is done; what may still come after that ({@link
 * #flushDownstream}, {@link #downstreamWritable}, {@link #maybeReadDownstream}, the route timeout's
 * calls) is harmless or, as each says, does nothing.
 *
 * <p>Buffers passed in ({@link #encodeHeaders}, {@link #encodeContent}, {@link #encodeTunnelBytes})
 * belong to the stream from then on; buffers handed out ({@link #pollPendingBody()}) belong to the
 * router.
 */
public interface RouterCallbacks {

  // ---- the request ----

  /**
   * Whether the request carries a body, its length possibly unknown (chunked, or HTTP/2 without
   * {@code content-length}). Fixed when the request headers arrived; the router asks so that an
   * HTTP/1.1 upstream request without a known length is sent chunked.
   */
  boolean requestHasBody();

  /**
   * Whether the downstream sent the whole request (the last body piece or the trailers arrived).
   * Asked once when the router starts, to start the route timeout at once; later the end arrives as
   * a {@link io.netty.handler.codec.http.LastHttpContent} through {@link
   * Router#sendRequestContent}.
   */
  boolean requestComplete();

  /**
   * The next request body piece that arrived before the router started (a filter paused the
   * request), oldest first; {@code null} when there is none left. Called by {@link Router#start()}
   * until it returns {@code null}; the piece then belongs to the router.
   */
  HttpContent pollPendingBody();

  /**
   * The downstream connection's original destination before it was redirected ({@code
   * original_dst}), or {@code null} when it was not redirected. Asked once at the start, and only
   * for an {@code ORIGINAL_DST} cluster.
   */
  InetSocketAddress downstreamOriginalDestination();

  /**
   * The stream's server span, under which each attempt opens its client span; {@link
   * StreamSpan#NONE} without tracing (never {@code null}).
   */
  StreamSpan span();

  // ---- pacing the downstream ----

  /**
   * Asks the downstream for more request body if the stream can take it: it is not done, not held
   * by a filter, the request is not complete yet, and {@link Router#canTakeBody()} says yes. Called
   * when an attempt became ready or its upstream writable again; does nothing otherwise.
   */
  void maybeReadDownstream();

  /**
   * Asks the downstream for one more read without conditions. Used in a tunnel (after a protocol
   * switch), where the downstream sends raw bytes and there is no request end to wait for.
   */
  void requestDownstreamRead();

  /**
   * Whether the downstream connection can take more bytes now. When it returns {@code false} the
   * router stops reading the upstream until {@link Router#downstreamWritable()} tells it the
   * downstream drained.
   */
  boolean downstreamWritable();

  // ---- the response ----

  /**
   * An attempt chose this upstream host (its {@code address:port}); the access log's {@code
   * %UPSTREAM_HOST%} names the last host chosen, also when no attempt answered. Called before each
   * attempt starts.
   */
  void upstreamHostChosen(String upstreamHostAddress);

  /**
   * Writes the winning attempt's response headers downstream, not flushed. The response filters see
   * them first (last filter first), the stream adds its own headers and frames the response for
   * HTTP/1.1. Called once per stream, with hop-by-hop headers already stripped. A response that is
   * also its own end (a {@link io.netty.handler.codec.http.LastHttpContent}) is flushed, and the
   * stream completes when it is written.
   *
   * @param upstreamHostAddress the answering host, for the access log
   */
  void encodeHeaders(HttpResponse response, String upstreamHostAddress);

  /**
   * Writes a response body piece or the trailers downstream, not flushed; the last piece ({@link
   * io.netty.handler.codec.http.LastHttpContent}) is flushed, and the stream completes when it is
   * written. Counts as stream activity for the idle timeout.
   */
  void encodeContent(HttpContent content);

  /** Flushes what {@link #encodeHeaders}, {@link #encodeContent} and tunnel bytes wrote. */
  void flushDownstream();

  /**
   * The upstream answered an upgrade with 101: from now on the downstream carries raw bytes both
   * ways (WebSocket and other upgrades). Called once, right after {@link #encodeHeaders} wrote the
   * 101.
   */
  void switchToTunnel();

  /**
   * Writes raw tunnel bytes downstream as they are, not flushed (after {@link #switchToTunnel}).
   */
  void encodeTunnelBytes(ByteBuf data);

  // ---- ending the stream ----

  /**
   * Answers the request locally and ends the stream (a gRPC request gets the gRPC form). The router
   * has already ended its side; the stream cancels it anyway, which then does nothing. Does nothing
   * once the stream is done; once the response started the answer can only be a {@link
   * #resetDownstream reset}.
   *
   * @param body a short text that says why; may be empty
   * @param details the access log's {@code %RESPONSE_CODE_DETAILS%}
   * @param flag the response flag, or {@code null} for none
   */
  void sendLocalReply(int status, String body, String details, ResponseFlag flag);

  /**
   * Answers 503 with {@code x-envoy-overloaded: true} and the flag {@code UO}: a resource limit of
   * the cluster refused the request. As {@link #sendLocalReply}, including when it does nothing.
   *
   * @param reason the body, naming the limit that fired
   */
  void sendOverloaded(String reason);

  /**
   * Resets the downstream after the response started (an HTTP/1.1 connection closes; on HTTP/2 only
   * the stream is reset), cancels the router and ends the stream.
   *
   * @param flag the response flag, or {@code null} for none
   * @param details the access log's {@code %RESPONSE_CODE_DETAILS%}
   */
  void resetDownstream(ResponseFlag flag, String details);

  // ---- the route timeout ----

  /**
   * Starts the route timeout, carried by the stream's connection timer (the router keeps no task of
   * its own); when it fires the stream calls {@link Router#onRouteTimeout()}. Called at most once,
   * when the request is complete. Does nothing once the stream is done: the timer may already serve
   * the connection's next stream.
   */
  void armRouteTimeout(long nanos);

  /**
   * The route timeout no longer applies (a tunnel opened, the router ended); as above when done.
   */
  void clearRouteTimeout();
}
