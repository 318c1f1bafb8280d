package io.outrigger.proxy.upstream.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.outrigger.proxy.tls.UpstreamTls;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/1.1 connections to one host from one event loop. A connection carries one exchange at a time
 * and goes back to the idle stack when its exchange ends cleanly (most recently used first, so warm
 * connections are preferred and cold ones time out). New connections open while the cluster allows;
 * past its limit, acquisitions wait for a connection to come back.
 */
public final class Http1ConnectionPool implements ConnectionPool {
  private final EventLoop loop;
  private final Host host;
  private final Cluster cluster;
  private final Transport transport;
  private final PoolSettings settings;
  private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
  private final PendingRequests waiting;
  private final List<Http1Connection> all = new ArrayList<>();
  private int connecting;
  private boolean closed;
  private boolean draining;

  public Http1ConnectionPool(
      EventLoop loop, Host host, Cluster cluster, Transport transport, PoolSettings settings) {
    this.loop = loop;
    this.host = host;
    this.cluster = cluster;
    this.transport = transport;
    this.settings = settings;
    this.waiting = new PendingRequests(cluster);
  }

  @Override
  public void acquire(AcquireCallback callback) {
    Http1Connection c;
    while ((c = idle.pollLast()) != null) {
      if (c.isUsable()) {
        callback.ready(c.lend());
        return;
      }
      c.channel().close(); // bytes arrived while it was idle: nothing can be trusted on it
    }
    if (!closed && cluster.tryReserveConnection(all.isEmpty() && connecting == 0)) {
      connect(callback);
    } else {
      waiting.offer(callback);
    }
  }

  private void connect(AcquireCallback callback) {
    Http1Connection conn = new Http1Connection(this, host);
    int limit = settings.bufferLimit();
    Bootstrap b =
        transport
            .bootstrap(loop)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(Math.max(1, limit / 2), limit))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    UpstreamTls.install(
                        ch, settings.tls(), host.address(), settings.connectTimeout());
                    new UpstreamHttp1Codec(4096, 64 * 1024, 64 * 1024).install(ch.pipeline());
                    ch.pipeline().addLast("connection", conn);
                  }
                });
    connecting++;
    ChannelFuture f = b.connect(host.address());
    f.addListener(
        x -> {
          if (f.isSuccess()) {
            UpstreamTls.established(f.channel()).addListener(h -> established(conn, h, callback));
          } else {
            established(conn, f, callback);
          }
        });
  }

  private void established(Http1Connection conn, Future<?> f, AcquireCallback callback) {
    connecting--;
    if (f.isSuccess()) {
      all.add(conn);
      ConnectionAccounting.opened(cluster, host, false);
      callback.ready(conn.lend());
    } else {
      boolean timedOut = ConnectionAccounting.failed(cluster, host, f.cause());
      callback.failed(f.cause(), timedOut);
      serveWaiting();
    }
  }

  /** An exchange ended cleanly: reuse the connection or retire it. */
  void returned(Http1Connection conn) {
    int max = settings.maxRequestsPerConnection();
    if (closed || (max > 0 && conn.requests() >= max)) {
      conn.channel().close();
      return;
    }
    AcquireCallback next = waiting.poll();
    if (next != null) {
      next.ready(conn.lend());
      return;
    }
    if (draining) {
      conn.channel().close();
      return;
    }
    idle.addLast(conn);
    conn.idleFor(settings.idleTimeout().toMillis());
    // Keep reading while idle, so that the upstream closing it is seen at once rather than
    // on the next request; anything it sends now is unsolicited and closes the connection.
    conn.channel().read();
  }

  /** A connection closed (either side, any reason). */
  void closed(Http1Connection conn) {
    if (all.remove(conn)) {
      idle.remove(conn);
      ConnectionAccounting.closed(cluster, host);
      serveWaiting();
    }
  }

  private void serveWaiting() {
    if (!waiting.isEmpty()
        && !closed
        && cluster.tryReserveConnection(all.isEmpty() && connecting == 0)) {
      connect(waiting.poll());
    }
  }

  @Override
  public void cancel(AcquireCallback callback) {
    waiting.cancel(callback);
  }

  @Override
  public int openConnections() {
    return all.size();
  }

  @Override
  public void close() {
    closed = true;
    for (Http1Connection c : List.copyOf(all)) {
      c.channel().close();
    }
    waiting.failAll(new IllegalStateException("pool closed"), false);
  }

  @Override
  public void drain() {
    draining = true;
    Http1Connection c;
    while ((c = idle.poll()) != null) {
      c.channel().close();
    }
  }
}
