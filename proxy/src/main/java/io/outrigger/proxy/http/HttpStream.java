package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterCallbacks;
import io.outrigger.filters.http.HttpFilterFactory;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.http.router.Router;
import io.outrigger.proxy.http.router.RouterCallbacks;
import io.outrigger.proxy.tls.PeerIdentity;
import io.outrigger.proxy.tracing.HttpTracer;
import io.outrigger.proxy.tracing.StreamSpan;
import io.outrigger.proxy.upstream.Cluster;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream request and its response, from the request headers to the last response byte.
 *
 * <p>Runs on the downstream channel's event loop. The request passes the HTTP filters, is routed,
 * and is handed to a {@link Router}; or it is answered locally. Request body pieces that arrive
 * before an upstream is ready wait here (at most what one read brought, since reading stops until
 * the upstream is ready). The response is written to the downstream as it comes.
 */
public final class HttpStream implements HttpFilterCallbacks, RouterCallbacks, StreamInfo {
  private static final Logger LOG = LoggerFactory.getLogger(HttpStream.class);

  private final DownstreamHttpHandler owner;
  private final ChannelHandlerContext ctx;
  private final HttpConnectionManager hcm;
  private final HttpRequest request;
  private final boolean http2;
  private final long startNanos = System.nanoTime();
  private final List<HttpFilter> filters;

  /** Body pieces that arrived before routing; made on the first such piece (most have none). */
  private ArrayDeque<HttpContent> pendingBody;

  private int filterIndex;
  private boolean requestComplete;
  private boolean responseStarted;
  private boolean done;
  private int responseCode;
  private ResponseFlag responseFlag;
  private String details = "";
  private String upstreamCluster;
  private String upstreamHost;
  private Router upstream;
  private String upgradeType;
  private boolean requestHasBody;
  private boolean watchingForClose;
  private boolean held;
  private RouteWatches routeWatches;
  private final StreamTimeouts timeouts;
  private RouteDecision routeDecision;
  private final StreamRecord record;
  private StreamSpan span = StreamSpan.NONE;

  HttpStream(
      DownstreamHttpHandler owner,
      ChannelHandlerContext ctx,
      HttpConnectionManager hcm,
      HttpRequest request,
      boolean http2,
      StreamTimeouts timeouts) {
    this.owner = owner;
    this.timeouts = timeouts;
    this.ctx = ctx;
    this.hcm = hcm;
    this.request = request;
    this.http2 = http2;
    List<HttpFilterFactory> factories = hcm.filters();
    if (factories.isEmpty()) {
      this.filters = List.of(); // the router alone: nothing to make per request
    } else {
      List<HttpFilter> fs = new ArrayList<>(factories.size());
      for (HttpFilterFactory f : factories) {
        fs.add(f.create());
      }
      this.filters = fs;
    }
    this.requestComplete = request instanceof LastHttpContent;
    this.record = new StreamRecord(hcm.accessLogs().clock().instant());
    record.received(request);
  }

  void start() {
    hcm.stats().requestStarted();
    timeouts.start(startNanos);
    if (requestComplete) {
      timeouts.requestComplete();
    }
    requestHasBody = hasBody(request);
    String type = RequestHeaders.upgradeType(request);
    upgradeType = type != null && hcm.settings().upgrades().contains(type) ? type : null;
    RequestHeaders.prepare(
        request, hcm.settings(), scheme(), remoteIp(), upgradeType != null, hcm.random());
    ClientCertHeader.apply(
        request.headers(), hcm.settings().forwardClientCert(), PeerIdentity.of(ctx.channel()));
    if (hcm.tracer() != HttpTracer.NONE) { // no per-request cost without tracing
      span = hcm.tracer().startStream(request, remoteIp(), protocolVersion());
    }
    if (hcm.overload().rejectRequest()) {
      sendLocalReply(
          503,
          "envoy overloaded",
          "overload",
          ResponseFlag.OM,
          OptionalInt.empty(),
          h -> h.set("x-envoy-overloaded", "true"));
      return;
    }
    continueRequest();
  }

  private boolean hasBody(HttpRequest req) {
    if (req instanceof LastHttpContent whole) {
      return whole.content().isReadable();
    }
    if (HttpUtil.isTransferEncodingChunked(req)) {
      return true;
    }
    long length = HttpUtil.getContentLength(req, -1L);
    return length > 0 || (length < 0 && http2);
  }

  /** Whether the request carries a body (its length may be unknown). */
  public boolean requestHasBody() {
    return requestHasBody;
  }

  /** Runs the filters from where they stopped, then routes. */
  @Override
  public void continueRequest() {
    if (done) {
      return;
    }
    while (filterIndex < filters.size()) {
      HttpFilter f = filters.get(filterIndex++);
      if (f.onRequestHeaders(request, false, this) == FilterStatus.STOP_ITERATION || done) {
        watchForClose();
        return;
      }
    }
    if (!done) {
      route();
    }
  }

  /**
   * The route, resolved once, on first use: by a filter asking for its per-route config or the
   * route's cluster, else by {@link #route()}. Filters and router then agree on one decision (one
   * weighted-cluster pick); a filter that changes routing headers afterwards does not re-route.
   */
  private RouteDecision routeDecision() {
    if (routeDecision == null) {
      routeDecision = hcm.routes().resolve(request, scheme(), remoteIp());
    }
    return routeDecision;
  }

  private void route() {
    RouteDecision decision = routeDecision();
    if (decision instanceof RouteDecision.Forward forward) {
      forward(forward);
    } else if (decision instanceof RouteDecision.Respond respond) {
      respond(respond);
    } else if (decision instanceof RouteDecision.NoCluster nc) {
      sendLocalReply(503, nc.reason(), "cluster_not_found", ResponseFlag.NC);
    } else {
      sendLocalReply(404, "", "route_not_found", ResponseFlag.NR);
    }
  }

  private void forward(RouteDecision.Forward forward) {
    Cluster cluster = hcm.clusters().get(forward.cluster());
    if (cluster == null) {
      sendLocalReply(
          503, "cluster not found: " + forward.cluster(), "cluster_not_found", ResponseFlag.NC);
      return;
    }
    if (upgradeType != null && !forward.upgradeAllowed()) {
      sendLocalReply(403, "upgrade not allowed", "upgrade_failed", null);
      return;
    }
    forward.rewriteRequest().accept(request);
    timeouts.routeIdleTimeout(forward.idleTimeout());
    upstreamCluster = cluster.name();
    upstream =
        new Router(
            this,
            ctx.channel().eventLoop(),
            hcm.pools().apply(ctx.channel().eventLoop()),
            cluster,
            forward,
            request,
            upgradeType != null,
            hcm.random());
    upstream.start();
  }

  private void respond(RouteDecision.Respond respond) {
    FullHttpResponse r = LocalReply.create(ctx.alloc(), respond.status(), respond.body(), isHead());
    if (respond.location() != null) {
      r.headers().set(HttpHeaderNames.LOCATION, respond.location());
    }
    respond.mutateResponse().accept(r.headers());
    details = "direct_response";
    writeComplete(r);
  }

  /** A request body piece or the trailers, from the downstream. */
  void onRequestContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      onRequestFramingError(cause);
      return;
    }
    record.received(content);
    boolean last = content instanceof LastHttpContent;
    if (last) {
      requestComplete = true;
    }
    if (done || held) {
      ReferenceCountUtil.release(content);
      if (held && !done && !requestComplete) {
        ctx.read(); // a held stream swallows the rest of the body, as a black hole would
      }
      return; // the connection's timers may already serve the next stream
    }
    if (last) {
      timeouts.requestComplete();
    }
    timeouts.activity();
    if (upstream != null) {
      upstream.sendRequestContent(content); // the router keeps what it cannot send yet
    } else {
      if (pendingBody == null) {
        pendingBody = new ArrayDeque<>(2);
      }
      pendingBody.add(content);
    }
  }

  /**
   * The request body broke its framing (a chunk-size that is not hex or overflows, a chunk or line
   * not ended by CRLF, a body cut short by the client's FIN). What went upstream so far must never
   * become a complete request there: the upstream request is reset (an HTTP/1.1 connection closed,
   * never pooled; an HTTP/2 stream reset), the downstream gets 400 if no response started and a
   * reset otherwise, and the connection closes. Envoy does the same.
   */
  private void onRequestFramingError(Throwable cause) {
    if (done) {
      return;
    }
    hcm.stats().protocolError();
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{} {}: request body framing error from {}, upstream request reset: {}",
          request.method(),
          request.uri(),
          remoteIp(),
          cause.toString());
    }
    if (upstream != null) {
      upstream.cancel();
    }
    // The request stays incomplete, so the 400 also closes an HTTP/1.1 connection: the bytes
    // after the error have no framing left to trust.
    sendLocalReply(
        400, "Bad Request", http2 ? "http2.codec_error" : "http1.codec_error", ResponseFlag.DPE);
  }

  /** The client half-closed before its request body reached the end its framing announced. */
  void onRequestCutShort() {
    onRequestFramingError(new java.io.EOFException("request body cut short by the client's FIN"));
  }

  /**
   * Body pieces that arrived before routing (a filter paused the request); the router takes them.
   */
  public HttpContent pollPendingBody() {
    return pendingBody == null ? null : pendingBody.poll();
  }

  public boolean requestComplete() {
    return requestComplete;
  }

  /** Reads more request body when the upstream can take it. */
  public void maybeReadDownstream() {
    if (!done && !held && !requestComplete && upstream != null && upstream.canTakeBody()) {
      ctx.read();
    }
  }

  /**
   * A filter holds a complete HTTP/1.1 request (a delay, a partition's drop): one more read is
   * asked for, so that a downstream that gives up and closes is noticed and the stream ends (its
   * filters' {@code onComplete} runs) instead of waiting for a timeout. What that read brings
   * instead (a pipelined request) waits as pipelined requests do; no further read is asked for.
   */
  private void watchForClose() {
    if (!http2 && !done && (upstream == null || held) && requestComplete && !watchingForClose) {
      watchingForClose = true;
      ctx.read();
    }
  }

  /**
   * Whether a filter holds this stream and its downstream is watched for a close: a half-close then
   * means the downstream gave up (it never gets an answer otherwise).
   */
  boolean heldByFilter() {
    return watchingForClose && (upstream == null || held) && !done;
  }

  void onDownstreamReadComplete() {
    if (held) {
      watchForClose();
      return;
    }
    if (upstream == null && filterIndex > 0) {
      watchForClose();
    }
    if (upstream != null) {
      upstream.flushRequest();
      if (upstream.isTunnel()) {
        if (upstream.canTakeBody()) {
          ctx.read();
        }
        return;
      }
    }
    maybeReadDownstream();
  }

  void onDownstreamWritable() {
    if (upstream != null) {
      upstream.downstreamWritable();
    }
  }

  public boolean downstreamWritable() {
    return ctx.channel().isWritable();
  }

  // ---- response side, called by the upstream request ----

  /** Writes the response headers downstream (not flushed). */
  /**
   * The router chose a host for an attempt: the access log's {@code %UPSTREAM_HOST%} names the last
   * host tried, also when no attempt answered (as Envoy's does).
   */
  public void upstreamHostChosen(String upstreamHostAddress) {
    upstreamHost = upstreamHostAddress;
  }

  public void encodeHeaders(HttpResponse response, String upstreamHostAddress) {
    upstreamHost = upstreamHostAddress;
    responseStarted = true;
    responseCode = response.status().code();
    details = "via_upstream";
    for (int i = filters.size() - 1; i >= 0; i--) {
      filters.get(i).onResponseHeaders(response, false, this);
    }
    response.headers().set(HttpHeaderNames.SERVER, hcm.settings().serverName());
    if (!http2) {
      frameForHttp1(response);
    }
    record.responseHeaders = response.headers();
    record.sent(response);
    if (response instanceof LastHttpContent) {
      ctx.writeAndFlush(response).addListener(f -> complete(!f.isSuccess()));
    } else {
      ctx.write(response, ctx.voidPromise());
    }
  }

  private void frameForHttp1(HttpResponse response) {
    int code = response.status().code();
    boolean bodiless = code < 200 || code == 204 || code == 304 || isHead();
    if (!bodiless && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
        HttpUtil.setKeepAlive(response, false);
      } else {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
    }
    if (lastOnConnection()) {
      HttpUtil.setKeepAlive(response, false);
    }
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  /**
   * Whether this HTTP/1.1 response is its connection's last: the connection drains ({@code
   * max_requests_per_connection}, {@code max_connection_duration}) or the overload manager's {@code
   * disable_http_keepalive} picked it.
   */
  private boolean lastOnConnection() {
    if (owner.draining()) {
      return true;
    }
    if (hcm.overload().disableKeepAlive(hcm.random())) {
      hcm.stats().overloadDisabledKeepAlive();
      return true;
    }
    return false;
  }

  /** Writes a response body piece or the trailers downstream (not flushed). */
  public void encodeContent(HttpContent content) {
    timeouts.activity();
    record.sent(content);
    if (content instanceof LastHttpContent) {
      ctx.writeAndFlush(content).addListener(f -> complete(!f.isSuccess()));
    } else {
      ctx.write(content, ctx.voidPromise());
    }
  }

  public void flushDownstream() {
    ctx.flush();
  }

  /** Raw bytes after a protocol switch (WebSocket): written to the downstream as they are. */
  public void encodeTunnelBytes(ByteBuf data) {
    ctx.write(data, ctx.voidPromise());
  }

  /**
   * Resets the downstream side after the response started: HTTP/1.1 has no other way to say the
   * response is broken than closing the connection; on HTTP/2 this resets only the stream.
   */
  public void resetDownstream(ResponseFlag flag, String why) {
    if (upstream != null) {
      upstream.cancel();
    }
    responseFlag = flag;
    details = why;
    ctx.flush();
    ctx.channel().close();
    complete(true);
  }

  /**
   * A filter resets the stream: on HTTP/2 closing the stream's child channel sends {@code
   * RST_STREAM} for it alone; on HTTP/1.1 the connection closes without a response.
   */
  @Override
  public void resetStream() {
    if (done) {
      return;
    }
    if (upstream != null) {
      upstream.cancel();
    }
    details = "filter_reset";
    ctx.channel().close();
    complete(true);
  }

  /**
   * A filter silences the stream mid-flight (a partition's drop): the upstream request is cancelled
   * and never completed, nothing more goes downstream, body bytes are swallowed; the downstream's
   * close or reset, or the stream's idle timeout, ends it.
   */
  @Override
  public void holdStream() {
    if (done || held) {
      return;
    }
    held = true;
    if (upstream != null) {
      upstream.cancel();
    }
    if (!http2) {
      if (requestComplete) {
        watchForClose();
      } else {
        ctx.read();
      }
    }
  }

  @Override
  public <T> Runnable watchPerRouteConfig(
      String filterName, Class<T> type, Consumer<Optional<T>> watcher) {
    if (done) {
      return () -> {};
    }
    if (routeWatches == null) {
      // The stream keeps its own route; a watcher hears what the newest routes say of its request.
      routeWatches =
          new RouteWatches(
              hcm.routes(),
              ctx.executor(),
              () -> done ? null : hcm.routes().resolve(request, scheme(), remoteIp()));
    }
    return routeWatches.add(filterName, type, watcher);
  }

  @Override
  public void sendLocalReply(int status, String body, String why, ResponseFlag flag) {
    sendLocalReply(status, body, why, flag, OptionalInt.empty(), h -> {});
  }

  /**
   * Every local reply goes through here: a gRPC request gets Envoy's gRPC form (200 with {@code
   * grpc-status} and {@code grpc-message}), any other a short text body. After the response
   * started, a local reply can only be a reset.
   */
  @Override
  public void sendLocalReply(
      int status,
      String body,
      String why,
      ResponseFlag flag,
      OptionalInt grpcStatus,
      Consumer<HttpHeaders> modifyHeaders) {
    if (done) {
      return;
    }
    if (responseStarted) {
      resetDownstream(flag, why);
      return;
    }
    responseFlag = flag;
    details = why;
    if (upstream != null) {
      upstream.cancel();
    }
    FullHttpResponse r =
        LocalReply.isGrpc(request)
            ? LocalReply.grpc(ctx.alloc(), status, grpcStatus, body, http2)
            : LocalReply.create(ctx.alloc(), status, body, isHead());
    modifyHeaders.accept(r.headers());
    writeComplete(r);
  }

  /** 503 at once with {@code x-envoy-overloaded: true}: a limit fired; the body names it. */
  public void sendOverloaded(String reason) {
    sendLocalReply(
        503,
        reason,
        "upstream_overflow",
        ResponseFlag.UO,
        OptionalInt.empty(),
        h -> h.set("x-envoy-overloaded", "true"));
  }

  private void writeComplete(FullHttpResponse r) {
    responseStarted = true;
    responseCode = r.status().code();
    for (int i = filters.size() - 1; i >= 0; i--) {
      filters.get(i).onResponseHeaders(r, true, this);
    }
    r.headers().set(HttpHeaderNames.SERVER, hcm.settings().serverName());
    // An unread body means the connection cannot be reused. A request without one is complete at
    // its headers: the codec's empty end marker that follows is dropped once this stream is done.
    boolean closeAfter = !http2 && (!requestComplete && requestHasBody || lastOnConnection());
    if (closeAfter) {
      HttpUtil.setKeepAlive(r, false);
    }
    record.responseHeaders = r.headers();
    record.sent(r);
    ctx.writeAndFlush(r)
        .addListener(
            f -> {
              if (closeAfter) {
                ctx.channel().close();
              }
              complete(closeAfter || !f.isSuccess());
            });
  }

  /**
   * A timeout fired: the route's goes to the router; a downstream one answers 408 before the
   * response started and resets after.
   */
  void onTimeout(StreamTimeouts.Kind kind) {
    if (done) {
      return;
    }
    if (kind == StreamTimeouts.Kind.ROUTE) {
      if (upstream != null) {
        upstream.onRouteTimeout();
      }
      return;
    }
    if (upstream != null && !responseStarted) {
      upstream.cancel();
    }
    ResponseFlag flag = kind == StreamTimeouts.Kind.REQUEST ? ResponseFlag.DT : ResponseFlag.SI;
    sendLocalReply(408, kind.body, kind.details, flag);
  }

  /** The downstream went away: reset the upstream and end the stream. */
  void onDownstreamReset() {
    if (done) {
      return;
    }
    responseFlag = responseFlag == null ? ResponseFlag.DC : responseFlag;
    if (upstream != null) {
      upstream.cancel();
    }
    complete(true);
  }

  private void complete(boolean closeConnection) {
    if (done) {
      return;
    }
    done = true;
    timeouts.cancel();
    if (routeWatches != null) {
      routeWatches.stopAll();
    }
    HttpContent c;
    while ((c = pollPendingBody()) != null) {
      ReferenceCountUtil.release(c);
    }
    record.endNanos = System.nanoTime();
    hcm.stats().requestFinished(responseCode, record.endNanos - startNanos);
    for (HttpFilter f : filters) {
      f.onComplete(this);
    }
    span.end(this);
    hcm.accessLogs().log(this);
    if (upstream == null) {
      // Answered here (a direct response, a local reply): no router took the request over. An
      // HTTP/2 request whose HEADERS ended the stream is a FullHttpRequest, with a buffer.
      ReferenceCountUtil.release(request);
    }
    owner.streamComplete(this, closeConnection);
  }

  boolean isDone() {
    return done;
  }

  /** Switches the downstream to raw bytes after a 101 answer (WebSocket and other upgrades). */
  public void switchToTunnel() {
    owner.switchToTunnel(ctx);
  }

  /** Called by the downstream handler with raw bytes after a protocol switch. */
  void onTunnelBytes(ByteBuf data) {
    if (upstream != null) {
      upstream.sendTunnelBytes(data);
    } else {
      data.release();
    }
  }

  /**
   * The router's route timeout starts now; the connection's one timer carries it. A stream that is
   * done never touches that timer again: it may already serve the connection's next stream.
   */
  public void armRouteTimeout(long nanos) {
    if (!done) {
      timeouts.routeTimeout(nanos);
    }
  }

  /** The route timeout no longer applies (a no-op once the stream is done, as above). */
  public void clearRouteTimeout() {
    if (!done) {
      timeouts.clearRouteTimeout();
    }
  }

  public void requestDownstreamRead() {
    ctx.read();
  }

  public boolean isHead() {
    return HttpMethod.HEAD.equals(request.method());
  }

  private String scheme() {
    return owner.tls() ? "https" : "http";
  }

  private String remoteIp() {
    return owner.remoteIp(ctx);
  }

  public boolean isHttp2() {
    return http2;
  }

  /** The stream's server span; {@link StreamSpan#NONE} without tracing. */
  public StreamSpan span() {
    return span;
  }

  private String protocolVersion() {
    if (http2) {
      return "2";
    }
    return request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? "1.0" : "1.1";
  }

  // ---- HttpFilterCallbacks and StreamInfo ----

  @Override
  public EventExecutor executor() {
    return ctx.executor();
  }

  @Override
  public StreamInfo streamInfo() {
    return this;
  }

  @Override
  public void setResponseFlag(ResponseFlag flag) {
    if (!done) {
      responseFlag = flag;
    }
  }

  @Override
  public <T> Optional<T> perRouteConfig(String filterName, Class<T> type) {
    return routeDecision().perFilterConfigs().get(filterName, type);
  }

  @Override
  public Optional<String> routeCluster() {
    return routeDecision() instanceof RouteDecision.Forward forward
        ? Optional.ofNullable(forward.cluster())
        : Optional.empty();
  }

  @Override
  public InetSocketAddress downstreamRemoteAddress() {
    java.net.SocketAddress a = owner.remoteAddress(ctx);
    return a instanceof InetSocketAddress isa ? isa : null;
  }

  @Override
  public String downstreamPeerUriSan() {
    PeerIdentity peer = PeerIdentity.of(ctx.channel());
    return peer == null ? null : peer.uriSan();
  }

  @Override
  public io.outrigger.filters.tls.PeerCertificate downstreamPeerCertificate() {
    PeerIdentity peer = PeerIdentity.of(ctx.channel());
    return peer == null ? null : peer.certificate();
  }

  @Override
  public InetSocketAddress downstreamLocalAddress() {
    return ctx.channel().localAddress() instanceof InetSocketAddress a ? a : null;
  }

  /**
   * The downstream connection's original destination ({@code original_dst}), or {@code null} when
   * it was not redirected.
   */
  public InetSocketAddress downstreamOriginalDestination() {
    return io.outrigger.proxy.connection.ConnectionFacts.originalDestination(ctx.channel());
  }

  @Override
  public String requestedServerName() {
    return io.outrigger.proxy.tls.TlsConnections.requestedServerName(ctx.channel());
  }

  @Override
  public String statPrefix() {
    return hcm.settings().statPrefix();
  }

  @Override
  public String upstreamCluster() {
    return upstreamCluster;
  }

  @Override
  public String upstreamHost() {
    return upstreamHost;
  }

  @Override
  public int responseCode() {
    return responseCode;
  }

  @Override
  public ResponseFlag responseFlag() {
    return responseFlag;
  }

  @Override
  public String responseCodeDetails() {
    return details;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public Instant startTime() {
    return record.startTime;
  }

  @Override
  public String protocol() {
    return http2 ? "HTTP/2" : request.protocolVersion().text();
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public HttpHeaders responseHeaders() {
    return record.responseHeaders;
  }

  @Override
  public long bytesReceived() {
    return record.bytesReceived;
  }

  @Override
  public long bytesSent() {
    return record.bytesSent;
  }

  @Override
  public long durationNanos() {
    return record.endNanos < 0 ? -1 : record.endNanos - startNanos;
  }

  @Override
  public String traceId() {
    return span.traceId();
  }

  @Override
  public int upstreamRequestAttemptCount() {
    return upstream == null ? 0 : upstream.attemptCount();
  }

  /** Unused request objects that arrived after the stream ended. */
  static void discard(HttpObject msg) {
    ReferenceCountUtil.release(msg);
  }
}
