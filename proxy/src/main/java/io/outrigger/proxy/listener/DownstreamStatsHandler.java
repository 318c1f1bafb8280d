package io.outrigger.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.outrigger.proxy.stats.ListenerStats;

/**
 * First handler of every downstream connection: counts the connection and its bytes for the
 * listener, whatever filter chain follows.
 */
final class DownstreamStatsHandler extends ChannelDuplexHandler {
  private final ListenerStats stats;

  DownstreamStatsHandler(ListenerStats stats) {
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
