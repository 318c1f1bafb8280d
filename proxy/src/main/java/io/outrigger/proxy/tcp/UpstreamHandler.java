package io.outrigger.proxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream half of {@code tcp_proxy}: relays what the upstream sends to the downstream with the
 * same read-while-writable rule as {@link TcpProxyHandler}, and reports FIN, close and reset to it.
 * Runs on the downstream's event loop.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(UpstreamHandler.class);

  private final TcpProxyHandler session;
  private final Cluster cluster;
  private final Host host;
  private boolean connected;

  UpstreamHandler(TcpProxyHandler session, Cluster cluster, Host host) {
    this.session = session;
    this.cluster = cluster;
    this.host = host;
  }

  /** The connection is open (and its TLS handshake done): from now on its close is counted. */
  void established() {
    connected = true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel downstream = session.downstream();
    if (!downstream.isActive()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf buf) {
      cluster.stats().bytesReceived(buf.readableBytes());
      session.sentDownstream(buf.readableBytes());
    }
    downstream.write(msg, downstream.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Channel downstream = session.downstream();
    if (!downstream.isActive()) {
      return;
    }
    downstream.flush();
    if (downstream.isWritable()) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      session.upstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      session.upstreamInputClosed();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // Before it was established (a failed handshake), the session counts a connect failure and may
    // try again; the downstream stays.
    if (connected) {
      host.connectionClosed();
      cluster.stats().connectionClosed();
      session.upstreamClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("cluster {}: upstream {} error: {}", cluster.name(), host, cause.toString());
    ctx.close();
  }
}
