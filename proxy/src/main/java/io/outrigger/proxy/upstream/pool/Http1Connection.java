package io.outrigger.proxy.upstream.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.proxy.upstream.Host;
import java.nio.channels.ClosedChannelException;

/**
 * One upstream HTTP/1.1 connection of a {@link Http1ConnectionPool}: the last handler of its
 * pipeline, it hands responses to the exchange it is lent to, and reports its close to the pool.
 */
final class Http1Connection extends ResponseRelay implements UpstreamExchange {
  private final Http1ConnectionPool pool;
  private final Host host;
  private Channel channel;
  private int requests;
  private ScheduledFuture<?> idleTimer;
  private boolean closed;

  Http1Connection(Http1ConnectionPool pool, Host host) {
    this.pool = pool;
    this.host = host;
  }

  /** Lends this connection to a new exchange. */
  UpstreamExchange lend() {
    cancelIdleTimer();
    requests++;
    listener = null;
    return this;
  }

  int requests() {
    return requests;
  }

  boolean isUsable() {
    return !closed && channel != null && channel.isActive();
  }

  void idleFor(long millis, Runnable onIdle) {
    if (millis > 0) {
      idleTimer =
          channel.eventLoop().schedule(onIdle, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public boolean http2() {
    return false;
  }

  @Override
  public void bind(ResponseListener l) {
    this.listener = l;
  }

  @Override
  public void release(boolean reusable) {
    listener = null;
    if (reusable && isUsable()) {
      pool.returned(this);
    } else {
      channel.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ResponseListener l = listener;
    if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
      // Not HTTP (a malformed status line, headers or chunk): the exchange is broken, and so is
      // the connection. The router sees a reset, which its retry policy may retry.
      Throwable cause = http.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      detach();
      ctx.close();
      if (l != null) {
        l.onReset(cause);
      }
      return;
    }
    if (l != null && msg instanceof HttpObject http) {
      l.onResponse(http);
    } else if (l != null && msg instanceof io.netty.buffer.ByteBuf raw) {
      // After a protocol switch the codec is gone and bytes flow as they are.
      l.onResponse(new io.netty.handler.codec.http.DefaultHttpContent(raw));
    } else {
      // A response nobody asked for (after the exchange ended): the connection is unusable.
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    cancelIdleTimer();
    ResponseListener l = detach();
    pool.closed(this);
    if (l != null) {
      l.onReset(new ClosedChannelException());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ResponseListener l = detach();
    if (l != null) {
      l.onReset(cause);
    }
    ctx.close();
  }
}
