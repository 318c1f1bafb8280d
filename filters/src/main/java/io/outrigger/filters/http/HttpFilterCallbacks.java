package io.outrigger.filters.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

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

  /**
   * Answers the stream locally, as {@link #sendLocalReply(int, String, String, ResponseFlag)}, the
   * way Envoy's {@code sendLocalReply} does for a filter: a gRPC request (its {@code content-type}
   * starts with {@code application/grpc}) gets HTTP 200 with {@code grpc-status} ({@code
   * grpcStatus}, or else mapped from {@code status} as Envoy maps it: 429, 502, 503, 504 to
   * UNAVAILABLE, ...) and {@code grpc-message} ({@code body}) and no body; any other request gets
   * {@code status} and {@code body}. {@code modifyHeaders} then edits the answer's headers.
   *
   * <p>Called on {@link #executor()}, at most once per stream (later calls do nothing). Default:
   * the plain local reply, without the gRPC form and without {@code modifyHeaders}; the connection
   * manager overrides it.
   *
   * @param grpcStatus the gRPC status for a gRPC request; empty to map it from {@code status}
   * @param modifyHeaders edits the answer's headers (adds {@code response_headers_to_add}, say)
   */
  default void sendLocalReply(
      int status,
      String body,
      String details,
      ResponseFlag flag,
      OptionalInt grpcStatus,
      Consumer<HttpHeaders> modifyHeaders) {
    sendLocalReply(status, body, details, flag);
  }

  /**
   * Resets the stream without an answer, as a broken peer would: on HTTP/2 an {@code RST_STREAM}
   * for this stream only; on HTTP/1.1, which has no other way to say so, the downstream connection
   * is closed without a response (other requests pipelined on it are lost too). Any upstream
   * request of the stream is cancelled and the stream completes ({@link HttpFilter#onComplete})
   * with the response code 0 and the details {@code filter_reset}.
   *
   * <p>Called on {@link #executor()}, at most once per stream (later calls, and calls after the
   * stream completed, do nothing). The filter then returns {@link FilterStatus#STOP_ITERATION}.
   */
  void resetStream();

  /**
   * Silences a stream that is already under way, as a network that drops every packet would: the
   * upstream request is cancelled (an HTTP/1.1 upstream connection closed, an HTTP/2 stream reset;
   * never completed), nothing more is written to the downstream and request body bytes that still
   * arrive are discarded. The stream stays open, without an answer, until the downstream gives up
   * (a reset or a close) or the connection manager's own timeouts fire ({@code stream_idle_timeout}
   * resets it once a response started, else answers 408).
   *
   * <p>Called on {@link #executor()}; at most once per stream (later calls, and calls after the
   * stream completed, do nothing). Default: {@link #resetStream()}, the closest a connection
   * manager without the feature can do.
   */
  default void holdStream() {
    resetStream();
  }

  /**
   * Follows the connection manager's routes while the stream is open: each time they change (an RDS
   * update installs a new route table), {@code watcher} runs on {@link #executor()} with this
   * filter's per-route config for the stream's request in the new routes, found as {@link
   * #perRouteConfig} finds it (empty when the request no longer matches a route or that route has
   * no entry for the filter). The stream itself keeps the route it started with; this only tells a
   * filter what the newest configuration says, for rules that must reach streams already open (a
   * partition cutting a long-lived stream).
   *
   * <p>Called on {@link #executor()}. Watching ends when the stream completes or the returned
   * handle runs, whichever comes first. Routes given inline in the listener never change, so the
   * watcher never runs for them. Default: never calls {@code watcher}.
   *
   * @return a handle that stops watching; safe to run more than once
   */
  default <T> Runnable watchPerRouteConfig(
      String filterName, Class<T> type, Consumer<Optional<T>> watcher) {
    return () -> {};
  }

  /** Resumes a request that this filter stopped with {@link FilterStatus#STOP_ITERATION}. */
  void continueRequest();

  /** The event loop of the stream; filters schedule timers here and never block it. */
  EventExecutor executor();

  /** What is known of the stream so far. */
  StreamInfo streamInfo();

  /**
   * Records a response flag without answering, e.g. {@link ResponseFlag#DI} when a delay is
   * injected. The stream keeps one flag: a later one (a local reply's, say) replaces it.
   *
   * <p>Called on {@link #executor()}, before the response started. Default: nothing.
   */
  default void setResponseFlag(ResponseFlag flag) {}

  /**
   * This filter's per-route config for the stream's route: the matched route's {@code
   * typed_per_filter_config} entry for {@code filterName}, else its virtual host's (Envoy's "most
   * specific" rule), in the form the filter's {@link HttpFilterFactory#createRouteConfig} made of
   * it once per config snapshot.
   *
   * <p>The first call resolves the route from the request headers as they are then, and the router
   * later forwards along that same decision (so a weighted cluster pick is made once). Call it from
   * {@code onRequestHeaders} or later, on {@link #executor()}.
   *
   * @param filterName the filter's configured name ({@link HttpFilterFactory#name()})
   * @param type what {@link HttpFilterFactory#createRouteConfig} returns for this filter
   * @return the config; empty when no route matched, the route has no entry for the filter, or the
   *     entry is not a {@code type}. Default: empty
   */
  default <T> Optional<T> perRouteConfig(String filterName, Class<T> type) {
    return Optional.empty();
  }

  /**
   * The cluster the stream's route forwards to (the weighted pick, or the {@code cluster_header}'s
   * value, once chosen), resolving the route as {@link #perRouteConfig} does. For Envoy's fault
   * filter's {@code upstream_cluster}.
   *
   * <p>Called on {@link #executor()}, from {@code onRequestHeaders} or later.
   *
   * @return the cluster name; empty when no route matched or the route does not forward (a
   *     redirect, a direct response) or names no cluster. Default: empty
   */
  default Optional<String> routeCluster() {
    return Optional.empty();
  }
}
