package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 calls to peers, on the replica's event loops, over keep-alive connections pooled per
 * peer (Netty's {@link SimpleChannelPool}). Each request carries {@code Host: PEER}, which is what
 * the sidecar's outbound route matches, so one sidecar listener reaches every peer and the mesh's
 * fault rules for that peer apply.
 *
 * <p>A call succeeds only with a 200 answered by the peer it was meant for ({@code
 * X-Outrigger-Replica}); anything else (refused, reset, a proxy's 503, the deadline) fails the
 * future with a {@link PeerException}. A connection whose call timed out is closed rather than
 * reused, since its answer may still arrive.
 */
final class PeerClient implements AutoCloseable {
  static final String REPLICA_HEADER = "X-Outrigger-Replica";
  static final String FROM_HEADER = "X-Outrigger-From";
  private static final int MAX_RESPONSE = 64 << 20;

  private final String self;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final Map<String, SimpleChannelPool> pools = new ConcurrentHashMap<>();

  PeerClient(String self, EventLoopGroup group, int connectTimeoutMillis) {
    this.self = requireNonNull(self, "self");
    this.group = requireNonNull(group, "group");
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
  }

  /** A failed peer call; the message says which peer and why. */
  static final class PeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PeerException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Sends one request to {@code peer}.
   *
   * @param deadlineNanos the {@link System#nanoTime()} by which the answer must have arrived
   * @return the body of the peer's 200 answer
   */
  CompletableFuture<byte[]> call(
      Peer peer, HttpMethod method, String path, byte[] body, long deadlineNanos) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      result.completeExceptionally(new PeerException(peer.name() + ": no time left"));
      return result;
    }
    Exchange exchange = new Exchange(peer, result);
    ScheduledFuture<?> timer = group.schedule(exchange::timeOut, remaining, TimeUnit.NANOSECONDS);
    result.whenComplete((r, e) -> timer.cancel(false));
    acquire(pool(peer), exchange, new Request(method, path, body), true);
    return result;
  }

  private record Request(HttpMethod method, String path, byte[] body) {}

  private void acquire(
      SimpleChannelPool pool, Exchange exchange, Request request, boolean mayRetry) {
    pool.acquire()
        .addListener(
            (Future<Channel> f) -> {
              if (!f.isSuccess()) {
                exchange.fail("cannot connect to " + exchange.peer.address() + ": " + f.cause());
                return;
              }
              Channel ch = f.getNow();
              exchange.channel = ch;
              if (exchange.result.isDone()) {
                pool.release(ch);
                return;
              }
              ch.eventLoop().execute(() -> send(ch, pool, exchange, request, mayRetry));
            });
  }

  private void send(
      Channel ch, SimpleChannelPool pool, Exchange exchange, Request r, boolean mayRetry) {
    ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
    if (handler == null || !ch.isActive()) {
      // The pooled connection closed after the pool checked it; nothing was sent on it yet.
      if (mayRetry) {
        acquire(pool, exchange, r, false);
      } else {
        exchange.fail("connection closed before the request was sent");
      }
      return;
    }
    handler.begin(exchange, pool);
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, r.method(), r.path(), Unpooled.wrappedBuffer(r.body()));
    request.headers().set(HttpHeaderNames.HOST, exchange.peer.name());
    request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    request.headers().set(FROM_HEADER, self);
    HttpUtil.setContentLength(request, r.body().length);
    ch.writeAndFlush(request)
        .addListener(
            w -> {
              if (!w.isSuccess()) {
                exchange.fail("write failed: " + w.cause());
                ch.close();
              }
            });
  }

  private SimpleChannelPool pool(Peer peer) {
    return pools.computeIfAbsent(
        peer.name(),
        name ->
            new SimpleChannelPool(
                bootstrap.clone().remoteAddress(peer.address()),
                new AbstractChannelPoolHandler() {
                  @Override
                  public void channelCreated(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpClientCodec(),
                            new HttpObjectAggregator(MAX_RESPONSE),
                            new ExchangeHandler());
                  }
                },
                ChannelHealthChecker.ACTIVE,
                true,
                false));
  }

  @Override
  public void close() {
    pools.values().forEach(SimpleChannelPool::close);
  }

  /** One call in flight: its result and, once acquired, its connection. */
  private static final class Exchange {
    final Peer peer;
    final CompletableFuture<byte[]> result;
    volatile Channel channel;

    Exchange(Peer peer, CompletableFuture<byte[]> result) {
      this.peer = peer;
      this.result = result;
    }

    void fail(String why) {
      result.completeExceptionally(new PeerException(peer.name() + ": " + why));
    }

    void timeOut() {
      if (result.completeExceptionally(new PeerException(peer.name() + ": timed out"))) {
        Channel ch = channel;
        if (ch != null) {
          ch.close();
        }
      }
    }
  }

  /** The last handler of a pooled connection: hands the answer to the exchange in flight. */
  private static final class ExchangeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private Exchange current;
    private SimpleChannelPool pool;

    void begin(Exchange exchange, SimpleChannelPool pool) {
      this.current = exchange;
      this.pool = pool;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      Exchange exchange = current;
      current = null;
      if (exchange == null) {
        ctx.close();
        return;
      }
      if (exchange.result.isDone()) {
        ctx.close(); // timed out: the timer is closing this connection
        return;
      }
      String replica = response.headers().get(REPLICA_HEADER);
      int status = response.status().code();
      if (status != 200) {
        String text = response.content().toString(StandardCharsets.UTF_8);
        exchange.fail("answered " + status + " " + abbreviate(text));
      } else if (!exchange.peer.name().equals(replica)) {
        exchange.fail("answered by \"" + replica + "\" (expected: " + exchange.peer.name() + ")");
      } else {
        exchange.result.complete(ByteBufUtil.getBytes(response.content()));
      }
      if (HttpUtil.isKeepAlive(response)) {
        pool.release(ctx.channel());
      } else {
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      failCurrent("connection closed");
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failCurrent(String.valueOf(cause));
      ctx.close();
    }

    private void failCurrent(String why) {
      Exchange exchange = current;
      current = null;
      if (exchange != null) {
        exchange.fail(why);
      }
    }

    private static String abbreviate(String text) {
      String oneLine = text.replace('\n', ' ');
      return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
    }
  }
}
