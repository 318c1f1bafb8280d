package io.outrigger.proxy.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/** Small helpers shared by both directions of the TCP proxy. */
final class Relay {
  private Relay() {}

  /** Closes {@code ch} once everything already written to it has been flushed. */
  static void closeOnFlush(Channel ch) {
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else if (ch != null) {
      ch.close();
    }
  }
}
