package io.outrigger.proxy.upstream.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.outrigger.proxy.codec.Http2ConnectionErrors;
import io.outrigger.proxy.tls.UpstreamTls;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 (prior knowledge) connections to one host from one event loop. Requests are streams
 * multiplexed over as few connections as {@code max_concurrent_streams} allows: a new connection
 * opens only when every open one is full.
 */
public final class Http2ConnectionPool implements ConnectionPool {
  private final EventLoop loop;
  private final Host host;
  private final Cluster cluster;
  private final Transport transport;
  private final PoolSettings settings;
  private final List<Connection> connections = new ArrayList<>();
  private final PendingRequests waiting;
  private boolean connecting;
  private boolean closed;
  private boolean draining;

  public Http2ConnectionPool(
      EventLoop loop, Host host, Cluster cluster, Transport transport, PoolSettings settings) {
    this.loop = loop;
    this.host = host;
    this.cluster = cluster;
    this.transport = transport;
    this.settings = settings;
    this.waiting = new PendingRequests(cluster);
  }

  /** One HTTP/2 connection and its count of open streams. */
  final class Connection {
    private Channel channel;
    private Http2Connection http2;
    private int streams;
    private int requests;

    /**
     * GOAWAY read. Kept here, not asked of the codec: the codec marks it only after the frame has
     * been passed on to this pool.
     */
    private boolean goAway;

    /** The upstream's SETTINGS read: its SETTINGS_MAX_CONCURRENT_STREAMS is known. */
    private boolean settingsSeen;

    /**
     * Whether a new stream may open here: the connection is open, has not been told GOAWAY, and is
     * under both our {@code max_concurrent_streams} and the upstream's
     * SETTINGS_MAX_CONCURRENT_STREAMS (a stream past the upstream's would be refused; Envoy's pool
     * also opens another connection instead). Until the upstream's SETTINGS arrive, one stream: the
     * request that opened the connection does not wait for them, and the others do not guess.
     */
    boolean hasCapacity() {
      int limit =
          settingsSeen
              ? Math.min(settings.maxConcurrentStreams(), http2.local().maxActiveStreams())
              : 1;
      return channel.isActive() && !retired() && streams < limit;
    }

    /** Told GOAWAY, or at {@code max_requests_per_connection}: no new stream will open here. */
    boolean retired() {
      int max = settings.maxRequestsPerConnection();
      return goAway || (max > 0 && requests >= max);
    }

    void streamClosed() {
      streams--;
      serveWaiting();
      closeIfDone();
    }

    /** Closes a draining or retired connection whose last stream has ended. */
    void closeIfDone() {
      if ((draining || retired()) && streams == 0) {
        channel.close();
      }
    }
  }

  @Override
  public void acquire(AcquireCallback callback) {
    for (Connection c : connections) {
      if (c.hasCapacity()) {
        openStream(c, callback);
        return;
      }
    }
    if (!waiting.offer(callback)) {
      return;
    }
    if (!connecting && !closed && cluster.tryReserveConnection(connections.isEmpty())) {
      connect();
    }
  }

  private void connect() {
    connecting = true;
    Connection conn = new Connection();
    Http2FrameCodec codec =
        Http2FrameCodecBuilder.forClient()
            .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
            .build();
    conn.http2 = codec.connection();
    Bootstrap b =
        transport
            .bootstrap(loop)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    UpstreamTls.install(
                        ch, settings.tls(), host.address(), settings.connectTimeout());
                    // Requests that streams of several downstream connections send in one turn
                    // of the event loop leave in one write: a stream channel flushes the
                    // connection at once unless the connection itself is reading.
                    ch.pipeline()
                        .addLast(
                            "flush",
                            new FlushConsolidationHandler(
                                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES,
                                true))
                        .addLast("h2", codec)
                        .addLast("mux", new Http2MultiplexHandler(new RefusePush()))
                        .addLast("lifecycle", new ConnectionLifecycle(conn, codec));
                  }
                });
    ChannelFuture f = b.connect(host.address());
    conn.channel = f.channel();
    f.addListener(
        x -> {
          if (f.isSuccess()) {
            UpstreamTls.established(f.channel()).addListener(h -> established(conn, h));
          } else {
            established(conn, f);
          }
        });
  }

  private void established(Connection conn, Future<?> f) {
    connecting = false;
    if (f.isSuccess()) {
      connections.add(conn);
      ConnectionAccounting.opened(cluster, host, true);
      serveWaiting();
    } else {
      boolean timedOut = ConnectionAccounting.failed(cluster, host, f.cause());
      waiting.failAll(f.cause(), timedOut);
    }
  }

  private void serveWaiting() {
    while (!waiting.isEmpty()) {
      Connection free = null;
      for (Connection c : connections) {
        if (c.hasCapacity()) {
          free = c;
          break;
        }
      }
      if (free == null) {
        if (!connecting && !closed && cluster.tryReserveConnection(connections.isEmpty())) {
          connect();
        }
        return;
      }
      openStream(free, waiting.poll());
    }
  }

  private void openStream(Connection conn, AcquireCallback callback) {
    conn.streams++;
    conn.requests++;
    Http2StreamExchange exchange = new Http2StreamExchange(conn, host);
    new Http2StreamChannelBootstrap(conn.channel)
        .option(ChannelOption.AUTO_READ, false)
        .handler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline()
                    .addLast("codec", new Http2StreamFrameToHttpObjectCodec(false))
                    .addLast("exchange", exchange);
              }
            })
        .open()
        .addListener(
            f -> {
              if (f.isSuccess()) {
                callback.ready(exchange);
              } else {
                conn.streams--;
                callback.failed(f.cause(), false);
              }
            });
  }

  private final class ConnectionLifecycle extends ChannelInboundHandlerAdapter {
    private final Connection conn;
    private final Http2FrameCodec codec;

    ConnectionLifecycle(Connection conn, Http2FrameCodec codec) {
      this.conn = conn;
      this.codec = codec;
    }

    /**
     * SETTINGS: the upstream's stream limit is known, and waiting requests may use it. GOAWAY: the
     * streams the upstream will still answer finish here; its refused ones (above its last stream
     * id) end as refused ({@link Http2StreamExchange}); requests that wait need another connection.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2SettingsFrame) {
        conn.settingsSeen = true; // the codec has applied them
        serveWaiting();
        return;
      }
      if (msg instanceof Http2GoAwayFrame) {
        ReferenceCountUtil.release(msg);
        conn.goAway = true;
        serveWaiting();
        conn.closeIfDone();
        return;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (connections.remove(conn)) {
        ConnectionAccounting.closed(cluster, host);
      }
      ctx.fireChannelInactive();
    }

    /** The upstream hears what it did wrong: a protocol error is the codec's to answer. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Http2ConnectionErrors.close(ctx, cause, codec);
    }
  }

  /** Upstreams may not push to a proxy: push is disabled in SETTINGS; anything else is dropped. */
  private static final class RefusePush extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void cancel(AcquireCallback callback) {
    waiting.cancel(callback);
  }

  @Override
  public int openConnections() {
    return connections.size();
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c : List.copyOf(connections)) {
      c.channel.close();
    }
    waiting.failAll(new IllegalStateException("pool closed"), false);
  }

  @Override
  public void drain() {
    draining = true;
    for (Connection c : List.copyOf(connections)) {
      if (c.streams == 0) {
        c.channel.close();
      }
    }
  }
}
