package io.outrigger.proxy.upstream.pool;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The last handler of an upstream exchange's pipeline: passes read batches and writability to the
 * {@link ResponseListener} the exchange is bound to, if any. Subclasses decide what a read and a
 * close mean for their kind of exchange.
 */
abstract class ResponseRelay extends ChannelInboundHandlerAdapter {
  /** Who receives the response now; null between exchanges. Touched on the channel's loop only. */
  protected ResponseListener listener;

  /** Unbinds the listener and returns it (null if none was bound). */
  protected final ResponseListener detach() {
    ResponseListener l = listener;
    listener = null;
    return l;
  }

  @Override
  public final void channelReadComplete(ChannelHandlerContext ctx) {
    ResponseListener l = listener;
    if (l != null) {
      l.onReadComplete();
    }
    readBatchEnded(ctx);
  }

  /** After the listener heard of the end of a read batch; nothing by default. */
  protected void readBatchEnded(ChannelHandlerContext ctx) {}

  @Override
  public final void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ResponseListener l = listener;
    if (l != null) {
      l.onWritabilityChanged(ctx.channel().isWritable());
    }
  }
}
