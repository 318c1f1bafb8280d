package io.outrigger.proxy.upstream.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.upstream.Host;
import java.nio.channels.ClosedChannelException;

/** One upstream HTTP/2 stream, seen as an exchange of {@code HttpObject}s. */
final class Http2StreamExchange extends ResponseRelay implements UpstreamExchange {
  private final Http2ConnectionPool.Connection connection;
  private final Host host;
  private Channel channel;
  private boolean responseEnded;
  private boolean released;
  private boolean refused;

  Http2StreamExchange(Http2ConnectionPool.Connection connection, Host host) {
    this.connection = connection;
    this.host = host;
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public Host host() {
    return host;
  }

  /** An HTTP/2 stream has no codec of its own to remove: its frames carry the tunnel's bytes. */
  @Override
  public void switchToTunnel() {}

  @Override
  public boolean http2() {
    return true;
  }

  @Override
  public void bind(ResponseListener l) {
    listener = l;
  }

  @Override
  public void release(boolean reusable) {
    if (released) {
      return;
    }
    released = true;
    listener = null;
    // A stream is never reused; closing an ended stream is a no-op, an open one is reset.
    channel.close();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ResponseListener l = listener;
    if (l == null || !(msg instanceof HttpObject http)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse response) {
      // Netty's conversion names the upstream's stream in a header of its own; no client sees it.
      response.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
    }
    if (msg instanceof LastHttpContent) {
      responseEnded = true;
    }
    l.onResponse(http);
  }

  /**
   * A RST_STREAM with REFUSED_STREAM, or a GOAWAY whose last stream id is below this stream's
   * (Netty tells only those streams), says the upstream did not process the request: the stream
   * ends as refused, which {@code retry_on: refused-stream} retries (RFC 9113, sections 6.8 and
   * 8.7).
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame reset
        && reset.errorCode() == Http2Error.REFUSED_STREAM.code()) {
      refused = true;
    } else if (evt instanceof Http2GoAwayFrame goAway) {
      refused = true;
      goAway.release();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.streamClosed();
    ResponseListener l = detach();
    if (l != null && !responseEnded) {
      l.onReset(refused ? new RefusedStreamException() : new ClosedChannelException());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ResponseListener l = detach();
    if (l != null) {
      l.onReset(cause);
    }
    ctx.close();
  }
}
