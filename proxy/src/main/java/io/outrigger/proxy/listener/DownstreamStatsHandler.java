package io.outrigger.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.outrigger.proxy.stats.DownstreamConnectionStats;

/**
 * Counts a downstream connection and its bytes for a scope: first in every connection's pipeline
 * for the listener, whatever filter chain follows; then, in a chain with an HTTP connection
 * manager, for the connection manager's {@code stat_prefix}.
 */
final class DownstreamStatsHandler extends ChannelDuplexHandler {
  private final DownstreamConnectionStats stats;

  DownstreamStatsHandler(DownstreamConnectionStats stats) {
    this.stats = stats;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    stats.connectionOpened();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stats.connectionClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      stats.bytesReceived(buf.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf) {
      stats.bytesSent(buf.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
