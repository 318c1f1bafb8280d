package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
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
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.http.router.Router;
import io.outrigger.proxy.http.router.RouterCallbacks;
import io.outrigger.proxy.tls.PeerIdentity;
import io.outrigger.proxy.tracing.HttpTracer;
import io.outrigger.proxy.tracing.StreamSpan;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One downstream request and its response, from the request headers to the last response byte.
 *
 * <p>Runs on the downstream channel's event loop. The request passes the HTTP filters, is routed,
 * and is handed to a {@link Router}, which sees the stream only as its {@link RouterCallbacks}; or
 * it is answered locally. The stream's state is here; what it does is split by concern into
 * stateless helpers that are passed the stream (so that a request makes no object for them): the
 * {@link StreamRoute} (the route, followed), the {@link RequestBodyReader} (request body and
 * downstream reads), the {@link ResponseWriter} (the relayed response), the {@link
 * LocalReplyWriter} (answers made here), and the {@link StreamRecord} (what the access log, the
 * span and the filters learn of the stream). Only these touch the stream's package-private fields.
 */
public final class HttpStream implements HttpFilterCallbacks, RouterCallbacks {
  /** The downstream side: the HTTP/1.1 connection's handler, or the HTTP/2 stream. */
  final DownstreamIo io;

  final HttpConnectionManager hcm;
  final HttpRequest request;
  final boolean http2;
  final long startNanos = System.nanoTime();
  final List<HttpFilter> filters;
  final StreamTimeouts timeouts;
  final StreamRecord record;

  /** Body pieces that arrived before routing; made on the first such piece (most have none). */
  ArrayDeque<HttpContent> pendingBody;

  /** The next filter to see the request headers. */
  int filterIndex;

  boolean requestComplete;
  boolean requestHasBody;
  boolean responseStarted;
  boolean done;

  /** The router, once the request was forwarded; {@code null} before, or when answered here. */
  Router upstream;

  /** A filter holds the stream ({@link #holdStream}): nothing more goes up or down. */
  boolean held;

  /** One read was asked for to notice a downstream that gives up on a held request. */
  boolean watchingForClose;

  StreamSpan span = StreamSpan.NONE;

  /** The request's upgrade ({@code websocket}) if the connection manager allows it, else null. */
  String upgradeType;

  RouteDecision routeDecision;
  RouteWatches routeWatches;

  HttpStream(
      DownstreamIo io,
      HttpConnectionManager hcm,
      HttpRequest request,
      boolean http2,
      StreamTimeouts timeouts) {
    this.io = io;
    this.timeouts = timeouts;
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
    this.record = new StreamRecord(this, hcm.accessLogs().clock().millis());
    record.received(request);
  }

  void start() {
    hcm.stats().requestStarted();
    timeouts.start(startNanos);
    if (requestComplete) {
      timeouts.requestComplete();
    }
    requestHasBody = RequestHeaders.hasBody(request, http2);
    String type = RequestHeaders.upgradeType(request);
    upgradeType = type != null && hcm.settings().upgrades().contains(type) ? type : null;
    RequestHeaders.prepare(
        request, hcm.settings(), scheme(), remoteIp(), upgradeType != null, hcm.random());
    ClientCertHeader.apply(
        request.headers(), hcm.settings().forwardClientCert(), PeerIdentity.of(io.connection()));
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
          LocalReplyWriter.OVERLOADED);
      return;
    }
    continueRequest();
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
        RequestBodyReader.watchForClose(this);
        return;
      }
    }
    if (!done) {
      StreamRoute.follow(this);
    }
  }

  // ---- from the downstream handler ----

  /** A request body piece or the trailers, from the downstream. */
  void onRequestContent(HttpContent content) {
    RequestBodyReader.onContent(this, content);
  }

  /** The client half-closed before its request body reached the end its framing announced. */
  void onRequestCutShort() {
    RequestBodyReader.onCutShort(this);
  }

  /** See {@link RequestBodyReader#heldByFilter}. */
  boolean heldByFilter() {
    return RequestBodyReader.heldByFilter(this);
  }

  void onDownstreamReadComplete() {
    RequestBodyReader.onReadComplete(this);
  }

  void onDownstreamWritable() {
    if (upstream != null) {
      upstream.downstreamWritable();
    }
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
    record.responseFlag = record.responseFlag == null ? ResponseFlag.DC : record.responseFlag;
    if (upstream != null) {
      upstream.cancel();
    }
    complete(true);
  }

  // ---- RouterCallbacks: what the router asks and does ----

  @Override
  public boolean requestHasBody() {
    return requestHasBody;
  }

  @Override
  public boolean requestComplete() {
    return requestComplete;
  }

  @Override
  public HttpContent pollPendingBody() {
    return RequestBodyReader.pollPending(this);
  }

  @Override
  public InetSocketAddress downstreamOriginalDestination() {
    return ConnectionFacts.originalDestination(io.connection());
  }

  /** The stream's server span; {@link StreamSpan#NONE} without tracing. */
  @Override
  public StreamSpan span() {
    return span;
  }

  @Override
  public void maybeReadDownstream() {
    RequestBodyReader.maybeRead(this);
  }

  @Override
  public void requestDownstreamRead() {
    io.read();
  }

  @Override
  public boolean downstreamWritable() {
    return io.isWritable();
  }

  @Override
  public void upstreamHostChosen(String upstreamHostAddress) {
    record.upstreamHost = upstreamHostAddress;
  }

  @Override
  public void encodeHeaders(HttpResponse response, String upstreamHostAddress) {
    ResponseWriter.writeHeaders(this, response, upstreamHostAddress);
  }

  @Override
  public void encodeContent(HttpContent content) {
    ResponseWriter.writeContent(this, content);
  }

  @Override
  public void flushDownstream() {
    io.flush();
  }

  @Override
  public void switchToTunnel() {
    io.switchToTunnel();
  }

  @Override
  public void encodeTunnelBytes(ByteBuf data) {
    ResponseWriter.writeTunnelBytes(this, data);
  }

  /** 503 at once with {@code x-envoy-overloaded: true}: a limit fired; the body names it. */
  @Override
  public void sendOverloaded(String reason) {
    sendLocalReply(
        503,
        reason,
        "upstream_overflow",
        ResponseFlag.UO,
        OptionalInt.empty(),
        LocalReplyWriter.OVERLOADED);
  }

  /**
   * Resets the downstream side after the response started: HTTP/1.1 has no other way to say the
   * response is broken than closing the connection; on HTTP/2 this resets only the stream.
   */
  @Override
  public void resetDownstream(ResponseFlag flag, String why) {
    if (upstream != null) {
      upstream.cancel();
    }
    record.responseFlag = flag;
    record.details = why;
    io.flush();
    io.reset();
    complete(true);
  }

  /**
   * The router's route timeout starts now; the connection's one timer carries it. A stream that is
   * done never touches that timer again: it may already serve the connection's next stream.
   */
  @Override
  public void armRouteTimeout(long nanos) {
    if (!done) {
      timeouts.routeTimeout(nanos);
    }
  }

  /** The route timeout no longer applies (a no-op once the stream is done, as above). */
  @Override
  public void clearRouteTimeout() {
    if (!done) {
      timeouts.clearRouteTimeout();
    }
  }

  // ---- HttpFilterCallbacks: what a filter may do ----

  @Override
  public void sendLocalReply(int status, String body, String why, ResponseFlag flag) {
    LocalReplyWriter.send(
        this, status, body, why, flag, OptionalInt.empty(), LocalReplyWriter.NO_HEADERS);
  }

  @Override
  public void sendLocalReply(
      int status,
      String body,
      String why,
      ResponseFlag flag,
      OptionalInt grpcStatus,
      Consumer<HttpHeaders> modifyHeaders) {
    LocalReplyWriter.send(this, status, body, why, flag, grpcStatus, modifyHeaders);
  }

  /**
   * A filter resets the stream: on HTTP/2 {@code RST_STREAM(CANCEL)} for it alone; on HTTP/1.1 the
   * connection closes without a response.
   */
  @Override
  public void resetStream() {
    if (done) {
      return;
    }
    if (upstream != null) {
      upstream.cancel();
    }
    record.details = "filter_reset";
    io.reset();
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
        RequestBodyReader.watchForClose(this);
      } else {
        io.read();
      }
    }
  }

  @Override
  public <T> Runnable watchPerRouteConfig(
      String filterName, Class<T> type, Consumer<Optional<T>> watcher) {
    return StreamRoute.watchPerRouteConfig(this, filterName, type, watcher);
  }

  @Override
  public EventExecutor executor() {
    return io.eventLoop();
  }

  @Override
  public StreamInfo streamInfo() {
    return record;
  }

  @Override
  public void setResponseFlag(ResponseFlag flag) {
    if (!done) {
      record.responseFlag = flag;
    }
  }

  @Override
  public <T> Optional<T> perRouteConfig(String filterName, Class<T> type) {
    return StreamRoute.decision(this).perFilterConfigs().get(filterName, type);
  }

  @Override
  public Optional<String> routeCluster() {
    return StreamRoute.decision(this) instanceof RouteDecision.Forward forward
        ? Optional.ofNullable(forward.cluster())
        : Optional.empty();
  }

  // ---- the end ----

  void complete(boolean closeConnection) {
    if (done) {
      return;
    }
    done = true;
    timeouts.cancel();
    if (routeWatches != null) {
      routeWatches.stopAll();
    }
    RequestBodyReader.releasePending(this);
    record.finish();
    if (upstream == null) {
      // Answered here (a direct response, a local reply): no router took the request over. An
      // HTTP/2 request whose HEADERS ended the stream is a FullHttpRequest, with a buffer.
      ReferenceCountUtil.release(request);
    }
    io.streamComplete(this, closeConnection);
  }

  // ---- small facts ----

  boolean isHead() {
    return HttpMethod.HEAD.equals(request.method());
  }

  String scheme() {
    return io.tls() ? "https" : "http";
  }

  String remoteIp() {
    return io.remoteIp();
  }

  private String protocolVersion() {
    if (http2) {
      return "2";
    }
    return request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? "1.0" : "1.1";
  }
}
