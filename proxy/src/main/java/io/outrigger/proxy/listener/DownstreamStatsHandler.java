package io.outrigger.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.outrigger.proxy.stats.DownstreamConnectionStats;

/**
 * Counts a downstream connection and its bytes, first in every connection's pipeline: for the
 * listener, whatever filter chain follows, and, in a chain with an HTTP connection manager, for the
 * connection manager's {@code stat_prefix} as well. One handler for both scopes, so that each read
 * and write passes one handler, not two.
 */
final class DownstreamStatsHandler extends ChannelDuplexHandler {
  private final DownstreamConnectionStats listener;
  private final DownstreamConnectionStats chain;

  /**
   * @param listener the listener's scope
   * @param chain the connection manager's scope, or {@code null} when the chain has none
   */
  DownstreamStatsHandler(DownstreamConnectionStats listener, DownstreamConnectionStats chain) {
    this.listener = listener;
    this.chain = chain;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    listener.connectionOpened();
    if (chain != null) {
      chain.connectionOpened();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    listener.connectionClosed();
    if (chain != null) {
      chain.connectionClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      int n = buf.readableBytes();
      listener.bytesReceived(n);
      if (chain != null) {
        chain.bytesReceived(n);
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf) {
      int n = buf.readableBytes();
      listener.bytesSent(n);
      if (chain != null) {
        chain.bytesSent(n);
      }
    }
    ctx.write(msg, promise);
  }
}
