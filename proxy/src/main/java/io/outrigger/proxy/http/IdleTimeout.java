package io.outrigger.proxy.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.outrigger.proxy.transport.LazyDeadline;

/**
 * {@code common_http_protocol_options.idle_timeout}: a downstream connection on which nothing was
 * read or written for that long is closed.
 *
 * <p>Netty's {@code IdleStateHandler} does this by watching every write's completion, which costs a
 * promise and a listener per write (several per request). Here a read or a write only moves a
 * deadline on a {@link LazyDeadline}; a write that never completes stops further writes (the
 * connection is not writable), so the connection still goes idle and closes. Runs on the
 * connection's event loop only.
 */
final class IdleTimeout extends ChannelDuplexHandler {
  private final long idleNanos;
  private LazyDeadline deadline;

  IdleTimeout(long idleNanos) {
    this.idleNanos = idleNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    touch();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    touch();
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  private void start(ChannelHandlerContext ctx) {
    if (deadline == null) {
      deadline = new LazyDeadline(ctx.executor(), ctx::close);
      deadline.arm(idleNanos);
    }
  }

  private void touch() {
    if (deadline != null) {
      deadline.arm(idleNanos);
    }
  }

  private void stop() {
    if (deadline != null) {
      deadline.close();
    }
  }
}
