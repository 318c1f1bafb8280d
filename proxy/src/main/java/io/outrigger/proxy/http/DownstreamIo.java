package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpObject;
import java.net.SocketAddress;

/**
 * What an {@link HttpStream} (and its helpers) may do to the downstream side of its request: write
 * the response, ask for more of the request, learn whether the downstream can take more, reset, and
 * read the facts of the connection. The stream never touches a channel or a handler context.
 *
 * <p>Two implementations: the HTTP/1.1 {@link DownstreamHttpHandler}, one per connection, serving
 * its requests in turn (so a request makes no object for it); and {@link Http2DownstreamStream},
 * one per HTTP/2 stream, which speaks frames to the connection's {@code Http2FrameCodec}.
 *
 * <p>Every method is called on the connection's event loop only, and none blocks. Messages passed
 * in belong to the implementation from then on: written, or released if the stream can no longer
 * carry them.
 */
interface DownstreamIo {

  // ---- the response ----

  /**
   * Writes a response piece (headers, a body piece, or the last piece with trailers), not flushed.
   * Called by the response writers for every piece but the last.
   */
  void write(HttpObject msg);

  /**
   * Writes a response piece and flushes; the future completes when the piece (on HTTP/2, the last
   * frame it became) is written to the connection, or fails if it cannot be. Called for the last
   * piece of a response and for local replies, whose listener ends the stream.
   */
  ChannelFuture writeAndFlush(HttpObject msg);

  /** Flushes what {@link #write} wrote. Called when an upstream read ended. */
  void flush();

  /**
   * Whether the downstream takes more response bytes now: on HTTP/1.1 the connection's writability,
   * on HTTP/2 the stream's send window and the connection's. When it turns writable again the
   * implementation calls {@link HttpStream#onDownstreamWritable()}.
   */
  boolean isWritable();

  // ---- the request ----

  /**
   * Asks for the next piece of the request (a body piece or the trailers); it arrives through
   * {@link HttpStream#onRequestContent} followed by {@link HttpStream#onDownstreamReadComplete()},
   * now or when the client sends it. On HTTP/2 this is what returns the bytes of the piece to the
   * client's send window, so a stream that does not ask holds its client back. Called by the stream
   * whenever its upstream can take more.
   */
  void read();

  // ---- ending ----

  /**
   * Abandons the downstream side of the stream without a response (or with a broken one): on
   * HTTP/1.1 the connection closes, on HTTP/2 the stream is reset with {@code CANCEL}. The stream
   * ends itself right after; the implementation does not call it back for this reset.
   */
  void reset();

  /**
   * The stream ended (its response was written, or it was reset). {@code closeConnection} says the
   * downstream side cannot be trusted any more: HTTP/1.1 closes the connection, HTTP/2 resets the
   * stream if it is still open. Called once per stream, by {@link HttpStream#complete}.
   */
  void streamComplete(HttpStream stream, boolean closeConnection);

  /**
   * Whether the response being written is its HTTP/1.1 connection's last ({@code Connection: close}
   * follows); always {@code false} on HTTP/2, which drains with GOAWAY instead.
   */
  boolean draining();

  // ---- after a protocol switch (HTTP/1.1 only) ----

  /**
   * The upstream answered an upgrade with 101: the HTTP codec leaves the connection and bytes flow
   * as they are. HTTP/2 carries no upgrade (its requests cannot say {@code Connection: upgrade}):
   * there the stream is reset.
   */
  void switchToTunnel();

  /** Writes raw bytes after {@link #switchToTunnel()}, not flushed (released on HTTP/2). */
  void writeTunnelBytes(ByteBuf data);

  // ---- the connection ----

  /** The connection's allocator, for local replies. */
  ByteBufAllocator alloc();

  /** The connection's event loop: the stream's, its router's and its timers'. */
  EventLoop eventLoop();

  /**
   * The downstream connection's channel (never an HTTP/2 stream's), for connection facts: peer
   * identity, local address, SNI, original destination. Not for writing.
   */
  Channel connection();

  /** Whether the connection is TLS; looked up once per connection. */
  boolean tls();

  /** The client's IP address as text, "" when unknown; made once per connection. */
  String remoteIp();

  /** The client's address. */
  SocketAddress remoteAddress();
}
