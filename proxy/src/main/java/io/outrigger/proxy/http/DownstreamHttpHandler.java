package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.proxy.tls.TlsConnections;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The connection manager on one downstream HTTP/1.1 connection, whose requests it serves one after
 * another; and the {@link DownstreamIo} of those requests' streams (one object for the connection,
 * none per request). HTTP/2 streams are served by {@link Http2StreamDispatcher}.
 *
 * <p>Reading is driven by demand (auto-read is off): the next request is read only when the
 * previous response is done; request body only while the upstream can take it. Requests that an
 * HTTP/1.1 client pipelined arrive while a stream is active and wait their turn ({@link
 * PipelinedRequests}); past its bound the rest of the input is dropped and the connection closes
 * once those are answered, as Netty's {@code HttpServerCodec} does.
 *
 * <p>It also does what Netty's keep-alive and {@code Expect: 100-continue} handlers would do from
 * the pipeline: it knows which request each response answers ({@link Http1KeepAlive}, {@link
 * Http1ResponseEncoder}), and answers {@code 100 Continue} when a request that expects it is
 * dispatched, so that every read and write passes fewer handlers.
 */
final class DownstreamHttpHandler extends ChannelInboundHandlerAdapter
    implements StreamTimeouts.Listener, DownstreamIo {
  private final HttpConnectionManager hcm;
  private final Http1ResponseEncoder encoder;
  private final Http1KeepAlive keepAlive = new Http1KeepAlive();
  private final PipelinedRequests pipelined = new PipelinedRequests();
  private ChannelHandlerContext ctx;
  private HttpStream current;
  private boolean tunnel;

  /** More was pipelined than the bound: further input is dropped. */
  private boolean discarding;

  /** The client half-closed: close once the streams it sent are answered. */
  private boolean closeWhenDone;

  private String remoteIp;

  /** Whether the connection is TLS: 1, 0, or -1 until asked (then from the pipeline). */
  private int tls;

  /** Requests dispatched on this connection, for max_requests_per_connection. */
  private long requests;

  /** The connection carries no request after the current one. */
  private boolean draining;

  /** The timeouts of this connection's streams, one timer for all (made in handlerAdded). */
  private StreamTimeouts timeouts;

  private RequestHeadersTimer headersTimer;
  private ScheduledFuture<?> durationTimer;

  /**
   * @param tls whether the connection is TLS (1 or 0), or -1 to find out from the pipeline
   * @param encoder the connection's response encoder, which this handler tells what it answers
   */
  DownstreamHttpHandler(HttpConnectionManager hcm, int tls, Http1ResponseEncoder encoder) {
    this.hcm = hcm;
    this.tls = tls;
    this.encoder = encoder;
  }

  /**
   * Whether this connection is TLS: as the filter chain said, else looked up once (the TLS handler,
   * when there is one, was installed before any HTTP handler).
   */
  @Override
  public boolean tls() {
    if (tls < 0) {
      tls = TlsConnections.isTls(ctx.channel()) ? 1 : 0;
    }
    return tls == 1;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    timeouts = new StreamTimeouts(ctx.executor(), hcm.settings(), this);
    headersTimer = ctx.pipeline().get(RequestHeadersTimer.class);
    long maxDuration = hcm.settings().limits().maxConnectionDuration().toMillis();
    if (maxDuration > 0) {
      durationTimer =
          ctx.executor().schedule(this::onMaxDuration, maxDuration, TimeUnit.MILLISECONDS);
    }
    if (ctx.channel().isActive()) {
      ctx.read();
    }
  }

  /**
   * {@code max_connection_duration}: close now if no request is under way, else after the current
   * response (which says {@code Connection: close}).
   */
  private void onMaxDuration() {
    durationTimer = null;
    hcm.stats().maxDurationReached();
    draining = true;
    if (current == null && pipelined.isEmpty() && !tunnel) {
      ctx.close();
    }
  }

  /** {@code request_headers_timeout} fired: 408, and the connection closes. */
  void onRequestHeadersTimeout() {
    if (current != null || tunnel) {
      return;
    }
    hcm.stats().headerTimeout();
    encoder.respondingTo(HttpMethod.GET);
    FullHttpResponse r = LocalReply.create(ctx.alloc(), 408, "request header timeout", false);
    r.headers().set(HttpHeaderNames.SERVER, hcm.settings().serverName());
    HttpUtil.setKeepAlive(r, false);
    ctx.writeAndFlush(r).addListener(f -> ctx.channel().close());
  }

  /**
   * Whether the response being written is this HTTP/1.1 connection's last: it carries {@code
   * Connection: close} and the connection closes after it.
   */
  @Override
  public boolean draining() {
    return draining;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (tunnel) {
      if (msg instanceof ByteBuf data && current != null) {
        current.onTunnelBytes(data);
      } else {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (!(msg instanceof HttpObject http) || discarding) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (headersTimer != null) {
      if (msg instanceof HttpRequest) {
        headersTimer.headersReceived();
      }
      if (msg instanceof LastHttpContent) {
        headersTimer.awaitNextRequest();
      }
    }
    if (current != null && !current.requestComplete() && msg instanceof HttpContent content) {
      current.onRequestContent(content);
    } else if (current != null || !pipelined.isEmpty()) {
      queue(http);
    } else {
      dispatch(http);
    }
  }

  /** A message read while an earlier request is served waits for its turn, up to a bound. */
  private void queue(HttpObject msg) {
    if (!pipelined.offer(msg)) {
      discarding = true;
      closeWhenDone = true;
    }
  }

  private void dispatch(HttpObject msg) {
    if (!(msg instanceof HttpRequest request)) {
      ReferenceCountUtil.release(msg); // body of a request that was already refused
      return;
    }
    encoder.respondingTo(request.method());
    keepAlive.onRequest(request);
    RequestValidator.Refusal refusal =
        RequestValidator.check(
            request, hcm.settings().maxHeadersCount(), hcm.settings().headersWithUnderscores());
    if (refusal != null) {
      refuse(request, refusal);
      return;
    }
    if (hcm.settings().limits().isLastRequest(++requests) && !draining) {
      hcm.stats().maxRequestsReached();
      draining = true;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      continueRequest(request);
    }
    current = new HttpStream(this, hcm, request, false, timeouts);
    current.start();
  }

  /**
   * {@code Expect: 100-continue}: the client waits for a word before it sends the body. As in Envoy
   * (without {@code proxy_100_continue}), the proxy answers itself once the request's turn has
   * come, and the expectation does not travel upstream; an upstream's own 100 is dropped by the
   * router.
   */
  private void continueRequest(HttpRequest request) {
    request.headers().remove(HttpHeaderNames.EXPECT);
    ctx.writeAndFlush(
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER),
        ctx.voidPromise());
  }

  /** Answers a malformed request and closes the connection: nothing of it reaches an upstream. */
  private void refuse(HttpRequest request, RequestValidator.Refusal refusal) {
    LocalReplyWriter.refuse(this, hcm, request, refusal, false);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (current != null) {
      current.onDownstreamReadComplete();
    } else {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  /**
   * Connections allow half-close (for tcp_proxy); a downstream that half-closes while a filter
   * holds its request (a partition's drop) has given up on it, so the connection is closed and the
   * stream ends. Otherwise a half-close changes nothing: the response is still written.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !tunnel) {
      // The client sent everything it will (a FIN; half-closure is allowed on the listener's
      // sockets for tcp_proxy): answer what it asked, then close. Without this the connection
      // would sit in CLOSE_WAIT until the idle timeout.
      if (current == null && pipelined.isEmpty()) {
        ctx.close();
        return;
      }
      if (current != null && current.heldByFilter()) {
        ctx.close();
        return;
      }
      closeWhenDone = true;
      if (current != null && !current.requestComplete()) {
        // The codec says nothing when a body ends early; a request whose body the client
        // stopped sending before its framing's end is broken, never complete.
        current.onRequestCutShort();
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && current != null) {
      current.onDownstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (durationTimer != null) {
      durationTimer.cancel(false);
      durationTimer = null;
    }
    if (current != null) {
      current.onDownstreamReset();
    }
    timeouts.close();
    pipelined.releaseAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  public void onTimeout(StreamTimeouts.Kind kind) {
    if (current != null) {
      current.onTimeout(kind);
    }
  }

  /** The stream ended; serve the next pipelined request or read the next one. */
  @Override
  public void streamComplete(HttpStream stream, boolean closeConnection) {
    if (stream != current) {
      return;
    }
    current = null;
    closeConnection |= keepAlive.closeAfterResponse();
    if (closeConnection || tunnel) {
      if (closeConnection && ctx.channel().isActive()) {
        ctx.channel().close();
      }
      return;
    }
    while (current == null && !pipelined.isEmpty()) {
      dispatch(pipelined.poll());
      while (current != null
          && !current.requestComplete()
          && pipelined.peek() instanceof HttpContent c) {
        pipelined.poll();
        current.onRequestContent(c);
      }
    }
    if (current == null && (closeWhenDone || draining)) {
      ctx.close();
    } else if (current == null && ctx.channel().isActive()) {
      ctx.read();
    }
  }

  /** The downstream's IP address as text, "" when unknown; made once per connection. */
  @Override
  public String remoteIp() {
    if (remoteIp == null) {
      remoteIp = ipOf(remoteAddress());
    }
    return remoteIp;
  }

  /** An address's IP as text, "" when it has none. */
  static String ipOf(SocketAddress address) {
    return address instanceof java.net.InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress()
        : "";
  }

  @Override
  public SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  // ---- DownstreamIo: the connection, for the stream being served ----

  @Override
  public void write(HttpObject msg) {
    if (msg instanceof HttpResponse response) {
      keepAlive.onResponse(response);
    }
    ctx.write(msg, ctx.voidPromise());
  }

  @Override
  public ChannelFuture writeAndFlush(HttpObject msg) {
    if (msg instanceof HttpResponse response) {
      keepAlive.onResponse(response);
    }
    return ctx.writeAndFlush(msg);
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  @Override
  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  @Override
  public void read() {
    ctx.read();
  }

  /** HTTP/1.1 can only say a response is broken, or refuse to give one, by closing. */
  @Override
  public void reset() {
    ctx.channel().close();
  }

  @Override
  public void writeTunnelBytes(ByteBuf data) {
    ctx.write(data, ctx.voidPromise());
  }

  @Override
  public ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  @Override
  public EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  @Override
  public Channel connection() {
    return ctx.channel();
  }

  /** After a 101: the HTTP/1.1 codec leaves the pipeline and bytes flow as they are. */
  @Override
  public void switchToTunnel() {
    tunnel = true;
    ctx.flush();
    ChannelPipeline p = ctx.pipeline();
    if (p.get(HttpRequestDecoder.class) != null) {
      p.remove(HttpRequestDecoder.class);
    }
    if (p.context(encoder) != null) {
      p.remove(encoder);
    }
    ctx.read();
  }
}
