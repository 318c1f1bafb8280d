package io.outrigger.proxy.upstream.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.transport.LazyDeadline;
import io.outrigger.proxy.upstream.Host;
import java.nio.channels.ClosedChannelException;

/**
 * One upstream HTTP/1.1 connection of a {@link Http1ConnectionPool}: the last handler of its
 * pipeline, it hands responses to the exchange it is lent to, and reports its close to the pool.
 *
 * <p>A connection is trusted with another request only when its last response ended exactly at its
 * framing: the return to the pool waits for the end of the read batch that completed the response,
 * and anything that came after the response in it, or that the codec still holds, closes the
 * connection instead. A response that breaks HTTP closes it too, with an {@link
 * UpstreamProtocolException} for the exchange.
 */
final class Http1Connection extends ResponseRelay implements UpstreamExchange {
  private final Http1ConnectionPool pool;
  private final Host host;
  private Channel channel;
  private int requests;

  /** The pool's idle timeout: armed while idle in the pool, cleared (not cancelled) when lent. */
  private LazyDeadline idleTimer;

  private boolean closed;
  private UpstreamHttp1Codec.Decoder decoder;

  /** Inside a read batch: a connection released now goes back to the pool at the batch's end. */
  private boolean reading;

  private boolean returnPending;

  Http1Connection(Http1ConnectionPool pool, Host host) {
    this.pool = pool;
    this.host = host;
  }

  /** Lends this connection to a new exchange. */
  UpstreamExchange lend() {
    cancelIdleTimer();
    requests++;
    listener = null;
    return this;
  }

  int requests() {
    return requests;
  }

  /** Open, and holding no byte of an unsolicited or unfinished message. */
  boolean isUsable() {
    return !closed
        && channel != null
        && channel.isActive()
        && (decoder == null || decoder.buffered() == 0);
  }

  /** Idle in the pool: closes after {@code millis} unless lent before; zero never closes. */
  void idleFor(long millis) {
    if (millis > 0) {
      if (idleTimer == null) {
        Channel ch = channel;
        idleTimer = new LazyDeadline(ch.eventLoop(), ch::close);
      }
      idleTimer.arm(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis));
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.clear();
    }
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public void switchToTunnel() {
    UpstreamHttp1Codec.uninstall(channel.pipeline());
  }

  @Override
  public boolean http2() {
    return false;
  }

  @Override
  public void bind(ResponseListener l) {
    this.listener = l;
  }

  @Override
  public void release(boolean reusable) {
    listener = null;
    if (reusable && reading) {
      returnPending = true; // decided at the end of this read batch
    } else if (reusable && isUsable()) {
      pool.returned(this);
    } else {
      channel.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    decoder = ctx.pipeline().get(UpstreamHttp1Codec.Decoder.class);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    if (returnPending) {
      // More after a complete response: not a response to anything; never pool this connection.
      returnPending = false;
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    ResponseListener l = listener;
    String broken = msg instanceof HttpObject http ? ResponseValidator.check(http) : null;
    if (broken != null) {
      // Not HTTP (a malformed status line, headers or chunk, a status out of range): the exchange
      // is broken, and so is the connection. The router answers 502, or retries per its policy.
      Throwable cause = ((HttpObject) msg).decoderResult().cause();
      ReferenceCountUtil.release(msg);
      detach();
      ctx.close();
      if (l != null) {
        l.onReset(new UpstreamProtocolException(broken, cause));
      }
      return;
    }
    if (l != null && msg instanceof HttpObject http) {
      l.onResponse(http);
    } else if (l != null && msg instanceof io.netty.buffer.ByteBuf raw) {
      // After a protocol switch the codec is gone and bytes flow as they are.
      l.onResponse(new io.netty.handler.codec.http.DefaultHttpContent(raw));
    } else {
      // A response nobody asked for (after the exchange ended): the connection is unusable.
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  protected void readBatchEnded(ChannelHandlerContext ctx) {
    reading = false;
    if (returnPending) {
      returnPending = false;
      if (isUsable()) {
        pool.returned(this);
      } else {
        ctx.close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    returnPending = false;
    if (idleTimer != null) {
      idleTimer.close();
    }
    ResponseListener l = detach();
    pool.closed(this);
    if (l != null) {
      l.onReset(new ClosedChannelException());
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
