package io.outrigger.proxy.tcp;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.accesslog.AccessLogs;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.stats.TcpProxyStats;
import io.outrigger.proxy.tls.ClientTls;
import io.outrigger.proxy.tls.PeerIdentity;
import io.outrigger.proxy.tls.UpstreamTls;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.LbContext;
import io.outrigger.proxy.upstream.outlier.OutlierResult;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream half of Envoy's {@code tcp_proxy}: connects upstream and relays bytes both ways.
 *
 * <p>Lifecycle, all on the downstream channel's event loop (the upstream channel is registered on
 * the same loop, so the two halves never race):
 *
 * <ol>
 *   <li>{@code channelActive}: pick a host and connect, with the cluster's transport socket (TLS)
 *       when it has one; downstream reading stays off (auto-read is off) until the upstream is
 *       connected (and its handshake done), so nothing is buffered while connecting, and the
 *       upstream is read from then on, so a protocol whose server speaks first works. A failed
 *       connect or handshake tries another host up to {@code max_connect_attempts}, then closes
 *       downstream.
 *   <li>Relaying: each side reads only while the other side is writable. A read is written to the
 *       peer and flushed once per read batch; the next read is requested only if the peer is still
 *       writable, otherwise when its writability returns. So a slow reader stops the fast writer
 *       and at most {@code per_connection_buffer_limit_bytes} plus one read wait in memory.
 *   <li>Half-close: a FIN from one side becomes a {@code shutdownOutput} on the other after what
 *       was read is flushed; when both sides have sent FIN both channels close.
 *   <li>Close or reset of either side closes the other after a flush. The idle timeout closes both.
 * </ol>
 */
public final class TcpProxyHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpProxyHandler.class);

  private final TcpProxyConfig config;
  private final Cluster cluster;
  private final Transport transport;
  private final TcpProxyStats stats;
  private final AccessLogs accessLogs;
  private TcpConnectionInfo info;

  private Channel downstream;
  private Channel upstream;
  private int attempts;
  private boolean connected;
  private boolean downstreamInputClosed;

  /**
   * Bytes that arrived before the upstream connected. Auto-read is off, so normally none do; but
   * when the client sends its data and FIN at once, epoll reads to the end of the stream on {@code
   * EPOLLRDHUP} whatever auto-read says, and those bytes (at most what the kernel held) must wait
   * here rather than be dropped.
   */
  private List<Object> early;

  private boolean upstreamInputClosed;

  /**
   * @param cluster the cluster named by the config, or {@code null} when it does not exist (the
   *     connection is then closed and counted)
   */
  public TcpProxyHandler(
      TcpProxyConfig config, Cluster cluster, Transport transport, TcpProxyStats stats) {
    this(config, cluster, transport, stats, AccessLogs.NONE);
  }

  /**
   * @param cluster the cluster named by the config, or {@code null} when it does not exist
   * @param accessLogs written when the downstream connection closes
   */
  public TcpProxyHandler(
      TcpProxyConfig config,
      Cluster cluster,
      Transport transport,
      TcpProxyStats stats,
      AccessLogs accessLogs) {
    this.config = requireNonNull(config, "config");
    this.cluster = cluster;
    this.transport = requireNonNull(transport, "transport");
    this.stats = requireNonNull(stats, "stats");
    this.accessLogs = requireNonNull(accessLogs, "accessLogs");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    downstream = ctx.channel();
    info =
        new TcpConnectionInfo(
            accessLogs.clock().instant(),
            config.statPrefix(),
            downstream.remoteAddress() instanceof InetSocketAddress a ? a : null,
            () -> {
              PeerIdentity peer = PeerIdentity.of(downstream);
              return peer == null ? null : peer.uriSan();
            });
    connect();
    ctx.fireChannelActive();
  }

  private void connect() {
    if (cluster == null) {
      info.flag(ResponseFlag.NC);
      stats.noHost();
      downstream.close();
      return;
    }
    info.upstreamCluster(cluster.name());
    Host host =
        cluster.chooseHost(
            LbContext.ofOriginalDestination(ConnectionFacts.originalDestination(downstream)));
    if (host == null) {
      info.flag(ResponseFlag.UH);
      cluster.stats().noHealthyHost();
      stats.noHost();
      downstream.close();
      return;
    }
    if (!cluster.tryReserveConnection()) {
      // The cluster is at max_connections (counted as upstream_cx_overflow): a TCP proxy has no
      // queue to wait in, so the downstream connection is closed at once, as Envoy's does.
      info.flag(ResponseFlag.UO);
      releaseEarlyBytes();
      downstream.close();
      return;
    }
    attempts++;
    ClusterConfig cc = cluster.config();
    int limit = cc.perConnectionBufferLimitBytes();
    Bootstrap b =
        transport
            .bootstrap(downstream.eventLoop())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) cc.connectTimeout().toMillis())
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(Math.max(1, limit / 2), limit))
            .handler(upstreamInitializer(cluster.tls(), host, cc));
    ChannelFuture f = b.connect(host.address());
    upstream = f.channel();
    upstream.closeFuture().addListener(closed -> cluster.releaseConnection());
    // With the cluster's transport socket, the upstream counts as connected once its handshake
    // succeeded; a failed or slow handshake is a connect failure, as in Envoy.
    f.addListener(
        connectDone -> {
          Future<?> established = f.isSuccess() ? UpstreamTls.established(f.channel()) : f;
          established.addListener(done -> onConnect(established, f.channel(), host));
        });
  }

  private ChannelInitializer<Channel> upstreamInitializer(
      ClientTls tls, Host host, ClusterConfig cc) {
    UpstreamHandler handler = new UpstreamHandler(this, cluster, host);
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        UpstreamTls.install(ch, tls, host.address(), cc.connectTimeout());
        ch.pipeline().addLast("tcp-proxy-upstream", handler);
      }
    };
  }

  private void onConnect(Future<?> f, Channel attempt, Host host) {
    if (f.isSuccess()) {
      connected = true;
      attempt.pipeline().get(UpstreamHandler.class).established();
      info.upstreamHost(host.addressString());
      host.connectionOpened();
      cluster.stats().connectionOpened();
      // As Envoy's tcp_proxy: a connection that opens is a success for outlier detection.
      host.outlier().putResult(OutlierResult.LOCAL_ORIGIN_CONNECT_SUCCESS_FINAL);
      if (!downstream.isActive() && early == null) {
        upstream.close();
        return;
      }
      writeEarlyBytes();
      upstream.read();
      if (downstreamInputClosed || !downstream.isActive()) {
        halfClose(upstream);
      } else {
        downstream.read();
      }
      return;
    }
    if (!downstream.isActive() && early == null) {
      return; // the downstream left while we were connecting; not an upstream failure
    }
    attempt.close(); // a failed handshake; nothing for a failed connect
    host.connectFailed();
    boolean timedOut =
        f.cause() instanceof ConnectTimeoutException
            || f.cause() instanceof SslHandshakeTimeoutException;
    cluster.stats().connectFailed(timedOut);
    host.outlier()
        .putResult(
            timedOut
                ? OutlierResult.LOCAL_ORIGIN_TIMEOUT
                : OutlierResult.LOCAL_ORIGIN_CONNECT_FAILED);
    log.debug("cluster {}: connect to {} failed: {}", cluster.name(), host, f.cause().toString());
    if (attempts < config.maxConnectAttempts()) {
      connect();
    } else {
      info.flag(ResponseFlag.UF);
      info.upstreamHost(host.addressString());
      releaseEarlyBytes();
      downstream.close();
    }
  }

  private void writeEarlyBytes() {
    if (early == null) {
      return;
    }
    for (Object msg : early) {
      countSent(msg);
      upstream.write(msg, upstream.voidPromise());
    }
    early = null;
    upstream.flush();
  }

  private void releaseEarlyBytes() {
    if (early != null) {
      early.forEach(ReferenceCountUtil::release);
      early = null;
    }
  }

  private void countSent(Object msg) {
    if (msg instanceof ByteBuf buf) {
      cluster.stats().bytesSent(buf.readableBytes());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      info.received(buf.readableBytes());
    }
    if (!connected && upstream != null) {
      if (early == null) {
        early = new ArrayList<>(2);
      }
      early.add(msg);
      return;
    }
    if (upstream == null || !upstream.isActive()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    countSent(msg);
    upstream.write(msg, upstream.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (upstream == null || !upstream.isActive()) {
      return;
    }
    upstream.flush();
    if (upstream.isWritable() && !downstreamInputClosed) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // The downstream drained below its low-water mark: the upstream may read again.
    if (ctx.channel().isWritable() && upstream != null && upstream.isActive()) {
      if (!upstreamInputClosed) {
        upstream.read();
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** The upstream drained: read from downstream again. Called by {@link UpstreamHandler}. */
  void upstreamWritable() {
    if (downstream.isActive() && !downstreamInputClosed) {
      downstream.read();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      downstreamInputClosed = true;
      if (connected) {
        halfClose(upstream); // before the connect, onConnect passes the FIN on
      }
    } else if (evt instanceof IdleStateEvent) {
      log.debug("{}: idle timeout {}, closing", config.statPrefix(), config.idleTimeout());
      downstream.close();
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** The upstream sent FIN: pass it on. Called by {@link UpstreamHandler}. */
  void upstreamInputClosed() {
    upstreamInputClosed = true;
    halfClose(downstream);
  }

  private void halfClose(Channel peer) {
    if (peer == null || !peer.isActive()) {
      closeBoth();
      return;
    }
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            f -> {
              if (downstreamInputClosed && upstreamInputClosed) {
                closeBoth();
              } else if (peer instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
              } else {
                peer.close();
              }
            });
  }

  private void closeBoth() {
    Relay.closeOnFlush(upstream);
    Relay.closeOnFlush(downstream);
  }

  /** The upstream closed or reset. Called by {@link UpstreamHandler}. */
  void upstreamClosed() {
    Relay.closeOnFlush(downstream);
  }

  Channel downstream() {
    return downstream;
  }

  /** Bytes relayed to the downstream, for the access log. Called by {@link UpstreamHandler}. */
  void sentDownstream(int bytes) {
    info.sent(bytes);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (info != null) {
      info.ended();
      accessLogs.log(info);
    }
    if (connected) {
      Relay.closeOnFlush(upstream);
    } else if (upstream != null && early == null) {
      upstream.close(); // cancels the connect; nothing to deliver
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: downstream error: {}", config.statPrefix(), cause.toString(), cause);
    ctx.close();
  }
}
