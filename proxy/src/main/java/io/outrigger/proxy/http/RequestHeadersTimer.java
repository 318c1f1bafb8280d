package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code request_headers_timeout} on an HTTP/1.1 connection: sits before the codec, where it sees
 * bytes, and starts its timer on the first byte of a request; the connection manager stops it when
 * the request's headers are decoded and lets it wait for the next request once the body ended. When
 * it fires, the connection manager answers 408 and closes: a slowloris client trickling headers
 * holds its connection no longer than this, whatever the idle timeouts.
 *
 * <p>Runs on the connection's event loop only.
 */
final class RequestHeadersTimer extends ChannelInboundHandlerAdapter {
  private final long timeoutMillis;
  private final Runnable onTimeout;
  private boolean awaitingHeaders = true;
  private ScheduledFuture<?> timer;
  private ChannelHandlerContext ctx;

  RequestHeadersTimer(long timeoutMillis, Runnable onTimeout) {
    this.timeoutMillis = timeoutMillis;
    this.onTimeout = onTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaitingHeaders && timer == null && msg instanceof ByteBuf b && b.isReadable()) {
      timer = ctx.executor().schedule(this::fire, timeoutMillis, TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  private void fire() {
    timer = null;
    if (awaitingHeaders && ctx.channel().isActive()) {
      onTimeout.run();
    }
  }

  /** The request's headers are decoded: the timer stops. */
  void headersReceived() {
    awaitingHeaders = false;
    cancel();
  }

  /** The request ended: the next byte starts the next request's timer. */
  void awaitNextRequest() {
    awaitingHeaders = true;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
