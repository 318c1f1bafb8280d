package io.outrigger.proxy.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;

/**
 * How an HTTP/2 connection's last handler closes the connection after an error, downstream and
 * upstream alike.
 *
 * <p>Netty's {@link Http2FrameCodec} shows the pipeline a connection error of the protocol (a
 * flow-control window pushed past its limit, a frame on a stream that cannot have one) before it
 * acts on it: then it sends GOAWAY with the error's code and closes the connection. A handler that
 * closed the connection as soon as it saw the error made the codec send GOAWAY with NO_ERROR first,
 * so the peer never learned what it did wrong. Such an error is left to the codec; the connection
 * is closed here only if, once the codec has had its turn, no GOAWAY was sent (an error that did
 * not come from the codec). Any other error (an I/O error, a reset) closes it at once, and so does
 * any error while the event loop shuts down.
 */
public final class Http2ConnectionErrors {
  private Http2ConnectionErrors() {}

  /**
   * Closes {@code ctx}'s connection for {@code cause}, leaving a protocol error to {@code codec}.
   */
  public static void close(ChannelHandlerContext ctx, Throwable cause, Http2FrameCodec codec) {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null
        || ctx.executor().isShuttingDown()) {
      ctx.close();
      return;
    }
    ctx.executor()
        .execute(
            () -> {
              if (!codec.connection().goAwaySent()) {
                ctx.close();
              }
            });
  }
}
