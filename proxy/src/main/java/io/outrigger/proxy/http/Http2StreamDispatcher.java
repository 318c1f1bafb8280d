package io.outrigger.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.outrigger.proxy.tls.TlsConnections;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a downstream HTTP/2 connection's streams at the frame level, right after its {@link
 * Http2FrameCodec}: one {@link Http2DownstreamStream} per stream (made on its first HEADERS frame,
 * kept in a map by stream id until the stream closes), which drives the stream's {@link
 * HttpStream}. No child channel and no per-stream pipeline.
 *
 * <p>Here, for the whole connection: the count of streams for {@code max_requests_per_connection}
 * and the overload manager's {@code disable_http_keepalive} (both start the {@link Http2Drain});
 * the codec's stream errors, which reset the stream with their own code; the read-complete signal
 * of the streams that were handed a piece during a read; the connection's facts. Runs on the
 * connection's event loop only.
 */
final class Http2StreamDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(Http2StreamDispatcher.class);

  final HttpConnectionManager hcm;
  private final Http2FrameCodec codec;
  private final Http2Drain drain;
  private final IntObjectHashMap<Http2DownstreamStream> streams = new IntObjectHashMap<>(8);
  private final ArrayDeque<Http2DownstreamStream> readCompletes = new ArrayDeque<>(4);
  private Http2LocalFlowController inboundFlow;
  private Http2RemoteFlowController outboundFlow;
  ChannelHandlerContext ctx;

  /** For frames whose outcome nobody awaits: a failure fires nothing (the stream's close tells). */
  ChannelPromise quiet;

  /** The one timer of the streams' timeouts (made in handlerAdded). */
  private Http2StreamTimer streamTimer;

  private long streamCount;
  private boolean inRead;

  /** Whether {@link #flushTask} waits in the event loop's task queue. */
  private boolean flushPending;

  private final Runnable flushTask = this::flushNow;

  /** Whether the connection is TLS: 1, 0, or -1 until asked (then from the pipeline). */
  private int tls;

  private String remoteIp;

  Http2StreamDispatcher(
      HttpConnectionManager hcm, Http2FrameCodec codec, Http2Drain drain, int tls) {
    this.hcm = hcm;
    this.codec = codec;
    this.drain = drain;
    this.tls = tls;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.quiet = new VoidChannelPromise(ctx.channel(), false);
    this.inboundFlow = codec.connection().local().flowController();
    this.outboundFlow = codec.connection().remote().flowController();
    this.streamTimer = new Http2StreamTimer(ctx.executor(), this::checkStreamTimeouts);
  }

  /** The timer fired: every open stream fires its timeout if one is due, else arms it again. */
  private void checkStreamTimeouts() {
    if (streams.isEmpty()) {
      return;
    }
    // A copy: a timeout that fires may end its stream, which leaves the map.
    for (Http2DownstreamStream s : streams.values().toArray(new Http2DownstreamStream[0])) {
      try {
        s.checkTimeouts();
      } catch (RuntimeException e) {
        s.onError(e);
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    inRead = true;
    if (msg instanceof Http2HeadersFrame headers) {
      onHeaders(headers);
    } else if (msg instanceof Http2DataFrame data) {
      Http2DownstreamStream s = streams.get(data.stream().id());
      if (s == null) {
        data.release(); // a stream already gone; the codec keeps its window
        return;
      }
      try {
        s.onFrame(data);
      } catch (RuntimeException e) {
        s.onError(e);
      }
    } else {
      // RST_STREAM (its stream's close follows as an event), SETTINGS, PING, GOAWAY…: the codec
      // acted on them already.
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHeaders(Http2HeadersFrame frame) {
    int id = frame.stream().id();
    Http2DownstreamStream s = streams.get(id);
    if (s != null) {
      try {
        s.onFrame(frame);
      } catch (RuntimeException e) {
        s.onError(e);
      }
      return;
    }
    Http2Stream stream = codec.connection().stream(id);
    if (stream == null) {
      return; // closed while its HEADERS were decoded (the codec reset it)
    }
    countStream();
    s = new Http2DownstreamStream(this, frame.stream(), stream);
    streams.put(id, s);
    try {
      s.onRequestHeaders(frame);
    } catch (RuntimeException e) {
      s.onError(e);
    }
  }

  /** Each new stream counts for the connection's limits, as each request does on HTTP/1.1. */
  private void countStream() {
    var limits = hcm.settings().limits();
    if (hcm.overload().disableKeepAlive(hcm.random())) {
      hcm.stats().overloadDisabledKeepAlive();
      ctx.executor().execute(drain::start);
    } else if (limits.maxRequestsPerConnection() > 0
        && ++streamCount == limits.maxRequestsPerConnection()) {
      hcm.stats().maxRequestsReached();
      // This stream and the others under way finish; no new one is accepted. Later, so that the
      // GOAWAY's last stream id counts this one.
      ctx.executor().execute(drain::start);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Http2DownstreamStream s;
    while ((s = readCompletes.poll()) != null) {
      try {
        s.onReadComplete();
      } catch (RuntimeException e) {
        s.onError(e);
      }
    }
    inRead = false;
    // The codec flushes after this: window updates and what the streams wrote go out together.
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2FrameStreamEvent e) {
      Http2DownstreamStream s = streams.get(e.stream().id());
      if (s != null) {
        if (e.type() == Http2FrameStreamEvent.Type.Writability) {
          s.onWritabilityChanged();
        } else if (e.stream().state() == Http2Stream.State.CLOSED) {
          s.onClosed();
        }
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * A stream error the codec found (a bad content-length, a flow-control violation…) resets the
   * stream with that error's code; the stream's close then ends what it served. Anything else goes
   * on to the connection's error handler.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2FrameStreamException e) {
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(e.error()).stream(e.stream()), quiet);
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // The codec closed every stream already; this is for any it did not tell of.
    for (Http2DownstreamStream s : streams.values().toArray(new Http2DownstreamStream[0])) {
      s.onClosed();
    }
    readCompletes.clear();
    streamTimer.shutdown();
    ctx.fireChannelInactive();
  }

  // ---- for the streams ----

  void forget(Http2DownstreamStream s) {
    streams.remove(s.id());
  }

  Http2StreamTimer streamTimer() {
    return streamTimer;
  }

  void readCompleteLater(Http2DownstreamStream s) {
    if (!s.readCompletePending) {
      s.readCompletePending = true;
      readCompletes.add(s);
    }
  }

  /**
   * Returns a request piece's bytes to the client's windows (the codec sends WINDOW_UPDATE when
   * enough were returned).
   */
  void consume(Http2Stream stream, int bytes) {
    if (bytes <= 0) {
      return;
    }
    try {
      inboundFlow.consumeBytes(stream, bytes);
    } catch (Http2Exception e) {
      LOG.debug("returning {} bytes to stream {} failed", bytes, stream.id(), e);
      // The codec acts on it as on an error it found: a reset or a GOAWAY with the error's code.
      ChannelHandlerContext codecCtx = ctx.pipeline().context(codec);
      if (codecCtx != null) {
        codec.onError(codecCtx, false, e);
      } else {
        ctx.close();
      }
    }
  }

  /**
   * Flushes what the streams wrote: at the end of this connection's read if one is under way (the
   * codec flushes then), else once the event loop has handled the rest of the I/O it is handling
   * now. The responses that several upstream connections brought in one pass of the loop so leave
   * in one write, not one each: without this, each response of an h2load run with ten streams per
   * connection cost a {@code writev} of its own (HAProxy's sends were about one per six responses).
   */
  void flushSoon() {
    if (!inRead && !flushPending) {
      flushPending = true;
      ctx.executor().execute(flushTask);
    }
  }

  private void flushNow() {
    flushPending = false;
    ctx.flush();
  }

  boolean isWritable(Http2Stream stream) {
    return outboundFlow.isWritable(stream);
  }

  boolean tls() {
    if (tls < 0) {
      tls = TlsConnections.isTls(ctx.channel()) ? 1 : 0;
    }
    return tls == 1;
  }

  String remoteIp() {
    if (remoteIp == null) {
      remoteIp = DownstreamHttpHandler.ipOf(ctx.channel().remoteAddress());
    }
    return remoteIp;
  }
}
