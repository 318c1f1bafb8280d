package io.outrigger.filters.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * One filter's view of one stream: the request passes through {@code onRequest*} in chain order,
 * the response through {@code onResponse*} in reverse order.
 *
 * <p>Lifecycle: created by its {@link HttpFilterFactory} when the stream's request headers arrive;
 * every method is called on the stream's event loop and must not block; {@link #onComplete} is
 * called exactly once, last, whatever happened. Every default passes the event on unchanged, so a
 * filter implements only the phases it cares about.
 *
 * <p>Buffers: a data event's {@code ByteBuf} belongs to the chain; a filter that wants to keep it
 * past the call must {@code retain()} it. A filter may modify headers in place.
 */
public interface HttpFilter {
  /**
   * The request headers arrived.
   *
   * @param endOfStream whether the request has no body
   * @return {@link FilterStatus#CONTINUE} to pass them on, or {@link FilterStatus#STOP_ITERATION}
   *     after answering or to resume later; default CONTINUE
   */
  default FilterStatus onRequestHeaders(
      HttpRequest request, boolean endOfStream, HttpFilterCallbacks callbacks) {
    return FilterStatus.CONTINUE;
  }

  /** A piece of the request body; default CONTINUE. */
  default FilterStatus onRequestData(ByteBuf data, boolean endOfStream, HttpFilterCallbacks cb) {
    return FilterStatus.CONTINUE;
  }

  /** The request trailers; default CONTINUE. */
  default FilterStatus onRequestTrailers(HttpHeaders trailers, HttpFilterCallbacks callbacks) {
    return FilterStatus.CONTINUE;
  }

  /**
   * The response headers, from the upstream or from a local reply; modify them in place. Default
   * CONTINUE.
   */
  default FilterStatus onResponseHeaders(
      HttpResponse response, boolean endOfStream, HttpFilterCallbacks callbacks) {
    return FilterStatus.CONTINUE;
  }

  /** The stream ended: answered, reset or closed. Called once, last. Default: nothing. */
  default void onComplete(StreamInfo info) {}
}
