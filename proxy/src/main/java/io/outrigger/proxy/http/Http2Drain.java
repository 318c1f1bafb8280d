package io.outrigger.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Drains a downstream HTTP/2 connection, as Envoy does when a connection reaches {@code
 * max_requests_per_connection} or {@code max_connection_duration}: GOAWAY with {@code NO_ERROR} and
 * the last stream the proxy accepted, so the client opens new streams elsewhere; the streams under
 * way run to their end; then the connection closes.
 *
 * <p>Not Netty's {@code close()} alone: the frame codec's graceful-shutdown timeout is 0, so a
 * close would cut the streams under way. Runs on the connection's event loop.
 */
final class Http2Drain extends Http2ConnectionAdapter {
  private final Channel connection;
  private final Http2FrameCodec codec;
  private boolean started;

  Http2Drain(Channel connection, Http2FrameCodec codec) {
    this.connection = connection;
    this.codec = codec;
  }

  /** Sends GOAWAY, once, and closes the connection as soon as no stream is active. */
  void start() {
    if (started || !connection.isActive()) {
      return;
    }
    started = true;
    connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    codec.connection().addListener(this);
    closeIfIdle();
  }

  @Override
  public void onStreamClosed(Http2Stream stream) {
    closeIfIdle();
  }

  private void closeIfIdle() {
    if (codec.connection().numActiveStreams() == 0) {
      // With GOAWAY sent, the codec's close flushes what the streams wrote, then closes.
      connection.close();
    }
  }
}
