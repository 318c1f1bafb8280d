package io.outrigger.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** What the data path wrote on an {@link EmbeddedChannel}, read and released. */
final class Outbound {
  private Outbound() {}

  /** Releases every buffer written and returns their bytes' count: the benchmarks' per-op read. */
  static int releaseAll(EmbeddedChannel channel) {
    int bytes = 0;
    for (Object out; (out = channel.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) out;
      bytes += buf.readableBytes();
      buf.release();
    }
    return bytes;
  }

  /** Every buffer written, copied into one that the caller releases; the originals are released. */
  static ByteBuf collect(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) out;
      all.writeBytes(buf);
      buf.release();
    }
    return all;
  }
}
