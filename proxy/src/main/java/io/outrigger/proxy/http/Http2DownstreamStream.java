package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream HTTP/2 stream, served at the frame level on its connection's pipeline (no child
 * channel): the {@link DownstreamIo} of the stream's {@link HttpStream}, the checks of its request
 * ({@link Http2RequestValidator}, which it extends so the stream makes one object, not two), and
 * the request pieces it holds until the {@link HttpStream} asks for them.
 *
 * <p>Flow control is the backpressure: the bytes of a DATA frame are returned to the client's
 * window only when the piece is handed over, which happens only when the stream asks ({@link
 * #read()}); so at most a window's worth waits here, and a slow upstream holds the client back. The
 * other way, {@link #isWritable()} is the codec's word on the stream's and the connection's send
 * windows, and the codec's writability events tell the stream when to resume.
 *
 * <p>Made by {@link Http2StreamDispatcher} on the stream's first HEADERS frame; everything runs on
 * the connection's event loop.
 */
final class Http2DownstreamStream extends Http2RequestValidator
    implements DownstreamIo, StreamTimeouts.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Http2DownstreamStream.class);

  private final Http2StreamDispatcher conn;
  private final Http2FrameStream frameStream;
  private final Http2Stream stream;

  private HttpStream current;
  private StreamTimeouts timeouts;

  /** Request pieces (a DATA frame, or the trailers) not asked for yet; made on the first. */
  private ArrayDeque<Object> inbound;

  /** The stream asked for a piece that has not arrived. */
  private boolean demand;

  private boolean delivering;
  boolean readCompletePending;

  /** The request was refused here: whatever else the client sends is dropped. */
  private boolean refused;

  /** The {@link HttpStream} ended. */
  private boolean streamDone;

  private boolean endStreamWritten;
  private boolean resetSent;
  private boolean closed;

  Http2DownstreamStream(
      Http2StreamDispatcher conn, Http2FrameStream frameStream, Http2Stream stream) {
    this.conn = conn;
    this.frameStream = frameStream;
    this.stream = stream;
  }

  int id() {
    return frameStream.id();
  }

  // ---- from the dispatcher: the client's frames and the codec's events ----

  /** The stream's first HEADERS frame: checked, converted, and served. */
  void onRequestHeaders(Http2HeadersFrame frame) {
    Http2Error error = check(frame);
    if (error != null) {
      refuse(error);
      return;
    }
    HttpRequest request;
    try {
      request = Http2Frames.request(frame);
    } catch (Exception e) {
      refuse(Http2Error.PROTOCOL_ERROR); // a request HTTP/1.1 cannot express (CONNECT sans host)
      return;
    }
    HttpSettings settings = conn.hcm.settings();
    RequestValidator.Refusal refusal =
        RequestValidator.check(
            request, settings.maxHeadersCount(), settings.headersWithUnderscores());
    if (refusal != null) {
      refused = true;
      LocalReplyWriter.refuse(this, conn.hcm, request, refusal, true);
      return;
    }
    timeouts = new StreamTimeouts(conn.streamTimer(), settings, this);
    current = new HttpStream(this, conn.hcm, request, true, timeouts);
    current.start();
    // As after any piece handed over: at the read's end the stream flushes what went upstream
    // and asks for more if its upstream can take it.
    conn.readCompleteLater(this);
  }

  /** A DATA frame, or a HEADERS frame after the request's (trailers). */
  void onFrame(Http2StreamFrame frame) {
    if (refused || streamDone || closed) {
      discard(frame);
      return;
    }
    Http2Error error = check(frame);
    if (error != null) {
      discard(frame);
      refuse(error);
      return;
    }
    Object piece = frame;
    if (frame instanceof Http2HeadersFrame trailers) {
      try {
        piece = Http2Frames.trailers(trailers);
      } catch (Exception e) {
        refuse(Http2Error.PROTOCOL_ERROR);
        return;
      }
    }
    if (demand && !delivering && (inbound == null || inbound.isEmpty())) {
      demand = false;
      delivering = true;
      try {
        deliver(piece);
      } finally {
        delivering = false;
      }
      conn.readCompleteLater(this);
    } else {
      if (inbound == null) {
        inbound = new ArrayDeque<>(4);
      }
      inbound.add(piece);
    }
  }

  /** The connection's read ended: the stream learns that what it was handed is all for now. */
  void onReadComplete() {
    readCompletePending = false;
    if (current != null && !streamDone) {
      current.onDownstreamReadComplete();
    }
  }

  /** The connection's stream timer fired: this stream's timeouts look at their deadlines. */
  void checkTimeouts() {
    if (timeouts != null) {
      timeouts.check();
    }
  }

  /** The codec says the stream's writability changed. */
  void onWritabilityChanged() {
    if (current != null && !streamDone && isWritable()) {
      current.onDownstreamWritable();
    }
  }

  /**
   * The stream closed: both sides ended, the client reset it, the codec reset it for an error, or
   * the connection closed. A stream that did not end its response ends now, as if the downstream
   * went away (response flag {@code DC}), and its upstream request is cancelled.
   */
  void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    conn.forget(this);
    releaseInbound(false); // the codec returns a closed stream's unconsumed bytes itself
    if (current != null && !streamDone && !resetSent && !endStreamWritten) {
      current.onDownstreamReset();
    }
    if (timeouts != null) {
      timeouts.close();
    }
  }

  /**
   * Serving the stream threw: the stream alone is reset ({@code CANCEL}) and ends as if the client
   * went away, as an error in a stream's channel closed only that channel; the connection's other
   * streams go on.
   */
  void onError(RuntimeException e) {
    LOG.warn("HTTP/2 stream {} failed; resetting it", id(), e);
    refuse(Http2Error.CANCEL);
  }

  // ---- handing the request over ----

  private void deliver(Object piece) {
    int bytes = 0;
    HttpContent content;
    if (piece instanceof Http2DataFrame data) {
      bytes = data.initialFlowControlledBytes();
      content = Http2Frames.content(data);
    } else {
      content = (HttpContent) piece;
    }
    current.onRequestContent(content);
    conn.consume(stream, bytes);
  }

  /** Hands over queued pieces while the stream asks for them, one per ask, as a read would. */
  private void deliverQueued() {
    if (inbound == null || inbound.isEmpty()) {
      return; // the piece is handed over when it arrives
    }
    delivering = true;
    try {
      while (demand && !inbound.isEmpty() && !streamDone && !closed) {
        demand = false;
        deliver(inbound.poll());
        if (!streamDone) {
          current.onDownstreamReadComplete();
        }
      }
    } finally {
      delivering = false;
    }
    conn.flushSoon(); // the window updates
  }

  private void discard(Object frame) {
    if (frame instanceof Http2DataFrame data && !closed) {
      conn.consume(stream, data.initialFlowControlledBytes());
    }
    ReferenceCountUtil.release(frame);
  }

  /** Drops the pieces not asked for; whether there were any. */
  private boolean releaseInbound(boolean consume) {
    if (inbound == null || inbound.isEmpty()) {
      return false;
    }
    Object piece;
    while ((piece = inbound.poll()) != null) {
      if (consume) {
        discard(piece);
      } else {
        ReferenceCountUtil.release(piece);
      }
    }
    return true;
  }

  /**
   * The request is malformed: the stream is reset with {@code error} and whatever of it was served
   * ends as if the client had gone away (as a reset stream channel ended it before).
   */
  private void refuse(Http2Error error) {
    refused = true;
    releaseInbound(true);
    resetWith(error);
    if (current != null && !streamDone) {
      current.onDownstreamReset();
    }
  }

  private void resetWith(Http2Error error) {
    if (closed || resetSent) {
      return;
    }
    resetSent = true;
    conn.ctx.writeAndFlush(new DefaultHttp2ResetFrame(error).stream(frameStream), conn.quiet);
  }

  // ---- DownstreamIo ----

  @Override
  public void write(HttpObject msg) {
    writeFrames(msg, conn.quiet);
  }

  @Override
  public ChannelFuture writeAndFlush(HttpObject msg) {
    ChannelPromise promise = conn.ctx.newPromise();
    writeFrames(msg, promise);
    conn.flushSoon();
    return promise;
  }

  private void writeFrames(HttpObject msg, ChannelPromise promise) {
    if (closed || resetSent) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    if (Http2Frames.unencodable(msg)) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      // The stream is reset and ends, later: the router is still in the middle of writing.
      eventLoop().execute(() -> refuse(Http2Error.CANCEL));
      return;
    }
    if (Http2Frames.write(conn.ctx, frameStream, msg, promise, conn.quiet)) {
      endStreamWritten = true;
    }
  }

  @Override
  public void flush() {
    conn.flushSoon();
  }

  @Override
  public boolean isWritable() {
    return !closed && conn.isWritable(stream);
  }

  @Override
  public void read() {
    demand = true;
    if (!delivering) {
      deliverQueued();
    }
  }

  /** {@code RST_STREAM(CANCEL)}, as closing the stream's channel sent before. */
  @Override
  public void reset() {
    resetWith(Http2Error.CANCEL);
  }

  /**
   * The stream ended. Pieces it never asked for are dropped (their bytes returned to the window).
   * If it ended broken, the stream is reset ({@code CANCEL}); if its response is whole but the
   * client is still sending, it is reset with {@code NO_ERROR}, which asks the client to stop
   * sending a request that no one reads (RFC 9113 8.1).
   */
  @Override
  public void streamComplete(HttpStream s, boolean closeConnection) {
    if (s != current || streamDone) {
      return;
    }
    streamDone = true;
    if (releaseInbound(true)) {
      conn.flushSoon(); // the window updates
    }
    if (closed) {
      return;
    }
    if (closeConnection) {
      resetWith(Http2Error.CANCEL);
    } else if (stream.state().remoteSideOpen()) {
      resetWith(Http2Error.NO_ERROR);
    }
  }

  @Override
  public boolean draining() {
    return false;
  }

  @Override
  public void switchToTunnel() {
    reset();
  }

  @Override
  public void writeTunnelBytes(ByteBuf data) {
    data.release();
  }

  @Override
  public ByteBufAllocator alloc() {
    return conn.ctx.alloc();
  }

  @Override
  public EventLoop eventLoop() {
    return conn.ctx.channel().eventLoop();
  }

  @Override
  public Channel connection() {
    return conn.ctx.channel();
  }

  @Override
  public boolean tls() {
    return conn.tls();
  }

  @Override
  public String remoteIp() {
    return conn.remoteIp();
  }

  @Override
  public SocketAddress remoteAddress() {
    return conn.ctx.channel().remoteAddress();
  }

  // ---- StreamTimeouts.Listener ----

  @Override
  public void onTimeout(StreamTimeouts.Kind kind) {
    if (current != null && !streamDone) {
      current.onTimeout(kind);
    }
  }
}
