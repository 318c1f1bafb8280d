package io.outrigger.proxy.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.http.route.RouteDecision;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Answers an {@link HttpStream} with a whole response the proxy makes itself ({@link LocalReply}
 * builds it): a local reply from a filter, the router or the connection manager, and a route's
 * direct response or redirect. The answer passes the response filters and ends the stream once it
 * is written.
 *
 * <p>Stateless: the stream holds the state, so nothing is made per request (the header edits below
 * are constants). Runs on the stream's event loop.
 */
final class LocalReplyWriter {
  static final Consumer<HttpHeaders> NO_HEADERS = h -> {};

  /** Marks an answer to a limit or to overload, as Envoy does. */
  static final Consumer<HttpHeaders> OVERLOADED = h -> h.set("x-envoy-overloaded", "true");

  private LocalReplyWriter() {}

  /**
   * Every local reply goes through here: a gRPC request gets Envoy's gRPC form (200 with {@code
   * grpc-status} and {@code grpc-message}), any other a short text body. After the response
   * started, a local reply can only be a reset.
   */
  static void send(
      HttpStream s,
      int status,
      String body,
      String why,
      ResponseFlag flag,
      OptionalInt grpcStatus,
      Consumer<HttpHeaders> modifyHeaders) {
    if (s.done) {
      return;
    }
    if (s.responseStarted) {
      s.resetDownstream(flag, why);
      return;
    }
    s.record.responseFlag = flag;
    s.record.details = why;
    if (s.upstream != null) {
      s.upstream.cancel();
    }
    FullHttpResponse r =
        LocalReply.isGrpc(s.request)
            ? LocalReply.grpc(s.io.alloc(), status, grpcStatus, body, s.http2)
            : LocalReply.create(s.io.alloc(), status, body, s.isHead());
    modifyHeaders.accept(r.headers());
    writeComplete(s, r);
  }

  /**
   * Answers a malformed request ({@link RequestValidator}) before any stream is made for it, and
   * gives up the downstream once the answer is written: an HTTP/1.1 connection closes, an HTTP/2
   * stream whose request is still open is reset. Nothing of the request reaches an upstream.
   */
  static void refuse(
      DownstreamIo io,
      HttpConnectionManager hcm,
      HttpRequest request,
      RequestValidator.Refusal refusal,
      boolean http2) {
    ReferenceCountUtil.release(request);
    FullHttpResponse r = LocalReply.create(io.alloc(), refusal.status(), refusal.details(), false);
    r.headers().set(HttpHeaderNames.SERVER, hcm.settings().serverName());
    if (!http2) {
      HttpUtil.setKeepAlive(r, false);
    }
    hcm.stats().requestStarted();
    hcm.stats().protocolError();
    hcm.stats().requestFinished(refusal.status(), 0);
    io.writeAndFlush(r).addListener(f -> io.reset());
  }

  /** A route's {@code direct_response} or {@code redirect}. */
  static void respond(HttpStream s, RouteDecision.Respond respond) {
    FullHttpResponse r =
        LocalReply.exact(s.io.alloc(), respond.status(), respond.body(), s.isHead());
    if (respond.location() != null) {
      r.headers().set(HttpHeaderNames.LOCATION, respond.location());
    }
    respond.mutateResponse().accept(r.headers());
    s.record.details = "direct_response";
    writeComplete(s, r);
  }

  private static void writeComplete(HttpStream s, FullHttpResponse r) {
    s.responseStarted = true;
    s.record.responseCode = r.status().code();
    for (int i = s.filters.size() - 1; i >= 0; i--) {
      s.filters.get(i).onResponseHeaders(r, true, s);
    }
    r.headers().set(HttpHeaderNames.SERVER, s.hcm.settings().serverName());
    // An unread body means the connection cannot be reused. A request without one is complete at
    // its headers: the codec's empty end marker that follows is dropped once this stream is done.
    boolean closeAfter =
        !s.http2 && (!s.requestComplete && s.requestHasBody || ResponseWriter.lastOnConnection(s));
    if (closeAfter) {
      HttpUtil.setKeepAlive(r, false);
    }
    s.record.responseHeaders = r.headers();
    s.record.sent(r);
    s.io
        .writeAndFlush(r)
        .addListener(
            f -> {
              if (closeAfter) {
                s.io.reset();
              }
              s.complete(closeAfter || !f.isSuccess());
            });
  }
}
