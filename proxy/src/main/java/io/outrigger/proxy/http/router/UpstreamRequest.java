package io.outrigger.proxy.http.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.http.HopByHop;
import io.outrigger.proxy.http.HttpStream;
import io.outrigger.proxy.http.RouteDecision;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.LbContext;
import io.outrigger.proxy.upstream.pool.AcquireCallback;
import io.outrigger.proxy.upstream.pool.PoolManager;
import io.outrigger.proxy.upstream.pool.ResponseListener;
import io.outrigger.proxy.upstream.pool.UpstreamExchange;
import java.util.concurrent.TimeUnit;

/**
 * The router's side of one stream: picks a host, borrows an exchange from the host's pool on the
 * stream's event loop, sends the request and relays the response, and turns every failure into
 * Envoy's answer (503 UF, 503 UC, 504 UT, or a downstream reset once the response started).
 *
 * <p>Flow control both ways: the downstream is read only while the upstream is writable, the
 * upstream only while the downstream is writable.
 */
public final class UpstreamRequest implements AcquireCallback, ResponseListener {
  private static final String CONNECT_FAILURE =
      "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
  private static final String CONNECTION_TERMINATION =
      "upstream connect error or disconnect/reset before headers."
          + " reset reason: connection termination";

  private final HttpStream stream;
  private final EventLoop loop;
  private final PoolManager pools;
  private final Cluster cluster;
  private final RouteDecision.Forward route;
  private final HttpRequest request;
  private final boolean upgrade;
  private final long startNanos = System.nanoTime();
  private Host host;
  private UpstreamExchange exchange;
  private ScheduledFuture<?> timeout;
  private boolean requestSent;
  private boolean responseStarted;
  private boolean tunnel;
  private boolean finished;
  private int status;
  private boolean keepAlive = true;

  public UpstreamRequest(
      HttpStream stream,
      EventLoop loop,
      PoolManager pools,
      Cluster cluster,
      RouteDecision.Forward route,
      HttpRequest request,
      boolean upgrade) {
    this.stream = stream;
    this.loop = loop;
    this.pools = pools;
    this.cluster = cluster;
    this.route = route;
    this.request = request;
    this.upgrade = upgrade;
  }

  public void start() {
    LbContext lb =
        route.hash().isPresent() ? LbContext.ofHash(route.hash().getAsLong()) : LbContext.NONE;
    host = cluster.chooseHost(lb);
    if (host == null) {
      cluster.stats().noHealthyHost();
      finished = true;
      stream.sendLocalReply(503, "no healthy upstream", "no_healthy_upstream", ResponseFlag.UH);
      return;
    }
    cluster.stats().requestStarted();
    host.requestStarted();
    pools.pool(cluster, host).acquire(this);
  }

  // ---- AcquireCallback ----

  @Override
  public void ready(UpstreamExchange ex) {
    if (finished) {
      ex.release(true);
      return;
    }
    exchange = ex;
    ex.bind(this);
    if (route.autoHostRewrite()) {
      request.headers().set(HttpHeaderNames.HOST, host.addressString());
    }
    if (!ex.http2() && stream.requestHasBody() && !HttpUtil.isContentLengthSet(request)) {
      HttpUtil.setTransferEncodingChunked(request, true);
    }
    if (request instanceof LastHttpContent) {
      requestSent = true; // a whole request (HTTP/2 HEADERS with END_STREAM)
    }
    Channel ch = ex.channel();
    ch.write(request, ch.voidPromise());
    HttpContent c;
    while ((c = stream.pollPendingBody()) != null) {
      sendRequestContent(c);
    }
    ch.flush();
    if (stream.requestComplete()) {
      startTimeout();
    }
    ch.read();
    stream.maybeReadDownstream();
  }

  @Override
  public void failed(Throwable cause, boolean timedOut) {
    if (finished) {
      return;
    }
    finish(0);
    if (cause instanceof io.outrigger.proxy.upstream.pool.PoolOverflowException overflow) {
      stream.sendOverloaded(overflow.getMessage());
      return;
    }
    stream.sendLocalReply(
        503,
        CONNECT_FAILURE,
        "upstream_reset_before_response_started{connection_failure}",
        ResponseFlag.UF);
  }

  // ---- request body ----

  public boolean isReady() {
    return exchange != null && !finished;
  }

  public boolean isTunnel() {
    return tunnel;
  }

  public boolean canTakeBody() {
    return exchange != null && exchange.channel().isWritable();
  }

  public void sendRequestContent(HttpContent content) {
    if (finished || exchange == null) {
      ReferenceCountUtil.release(content);
      return;
    }
    Channel ch = exchange.channel();
    if (content instanceof LastHttpContent) {
      requestSent = true;
      ch.writeAndFlush(content, ch.voidPromise());
      startTimeout();
    } else {
      ch.write(content, ch.voidPromise());
    }
  }

  public void flushRequest() {
    if (exchange != null && !finished) {
      exchange.channel().flush();
    }
  }

  public void sendTunnelBytes(ByteBuf data) {
    if (finished || exchange == null) {
      data.release();
      return;
    }
    exchange.channel().write(data, exchange.channel().voidPromise());
  }

  private void startTimeout() {
    long ms = route.timeout().toMillis();
    if (ms > 0 && timeout == null && !finished && !upgrade) {
      timeout = loop.schedule(this::onTimeout, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void onTimeout() {
    if (finished) {
      return;
    }
    cluster.stats().requestTimedOut();
    boolean started = responseStarted;
    finish(0);
    if (started) {
      stream.resetDownstream(ResponseFlag.UT, "upstream_response_timeout");
    } else {
      stream.sendLocalReply(
          504, "upstream request timeout", "upstream_response_timeout", ResponseFlag.UT);
    }
  }

  // ---- ResponseListener ----

  @Override
  public void onResponse(HttpObject msg) {
    if (finished) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse response) {
      onResponseHeaders(response);
      if (msg instanceof LastHttpContent && !tunnel && response.status().code() != 100) {
        finish(status); // a whole response in one message (HTTP/2 HEADERS with END_STREAM)
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      if (tunnel) {
        stream.encodeTunnelBytes(content.content().retain());
        content.release();
        return;
      }
      boolean last = content instanceof LastHttpContent;
      stream.encodeContent(content);
      if (last) {
        finish(status);
      }
    }
  }

  private void onResponseHeaders(HttpResponse response) {
    int code = response.status().code();
    if (code == 100) {
      return; // the connection manager answered 100-continue itself
    }
    responseStarted = true;
    status = code;
    keepAlive = HttpUtil.isKeepAlive(response);
    boolean switching = upgrade && code == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    HopByHop.strip(response.headers(), switching);
    long serviceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    response.headers().set("x-envoy-upstream-service-time", serviceMs);
    route.mutateResponse().accept(response.headers());
    stream.encodeHeaders(response, host.addressString());
    if (switching) {
      tunnel = true;
      cancelTimeout();
      if (!exchange.http2() && exchange.channel().pipeline().get("codec") != null) {
        exchange.channel().pipeline().remove("codec");
      }
      stream.switchToTunnel();
    }
  }

  /** Raw bytes from the upstream after a protocol switch. */
  public void onTunnelBytes(ByteBuf data) {
    stream.encodeTunnelBytes(data);
  }

  @Override
  public void onReadComplete() {
    if (finished) {
      return;
    }
    stream.flushDownstream();
    if (stream.downstreamWritable()) {
      exchange.channel().read();
    }
  }

  @Override
  public void onWritabilityChanged(boolean writable) {
    if (writable) {
      stream.maybeReadDownstream();
      if (tunnel) {
        stream.requestDownstreamRead();
      }
    }
  }

  /** The downstream drained: read more response. */
  public void downstreamWritable() {
    if (exchange != null && !finished) {
      exchange.channel().read();
    }
  }

  @Override
  public void onReset(Throwable cause) {
    if (finished) {
      return;
    }
    boolean started = responseStarted;
    boolean wasTunnel = tunnel;
    finish(0);
    if (wasTunnel) {
      stream.resetDownstream(null, "upgrade_tunnel_closed");
    } else if (started) {
      stream.resetDownstream(ResponseFlag.UR, "upstream_reset_after_response_started");
    } else {
      stream.sendLocalReply(
          503,
          CONNECTION_TERMINATION,
          "upstream_reset_before_response_started{connection_termination}",
          ResponseFlag.UC);
    }
  }

  /**
   * The stream ended for another reason (downstream reset, local reply): let go of the upstream.
   */
  public void cancel() {
    if (!finished) {
      finish(0);
    }
  }

  private void finish(int code) {
    finished = true;
    cancelTimeout();
    if (host != null) {
      host.requestFinished();
      cluster.stats().requestFinished(code, System.nanoTime() - startNanos);
    }
    if (exchange != null) {
      boolean reusable = code > 0 && requestSent && keepAlive && !tunnel;
      exchange.release(reusable);
    }
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
