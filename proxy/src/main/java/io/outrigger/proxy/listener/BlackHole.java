package io.outrigger.proxy.listener;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Makes an open connection a black hole, as a network that drops every packet: what the downstream
 * sends is read and discarded, what the proxy writes to it is discarded and reported written (so
 * that a relay keeps draining its upstream instead of waiting for writability). It sits first in
 * the pipeline, next to the socket, below TLS. Reads go on so that a downstream that gives up is
 * noticed and the connection freed.
 */
final class BlackHole extends ChannelDuplexHandler {
  static final String NAME = "black-hole";

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ReferenceCountUtil.release(msg);
    promise.trySuccess();
  }
}
