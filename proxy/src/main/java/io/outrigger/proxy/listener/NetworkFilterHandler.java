package io.outrigger.proxy.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterCallbacks;
import io.outrigger.filters.network.NetworkFilterFactory;
import io.outrigger.filters.network.NetworkFilterStatus;
import io.outrigger.filters.tls.PeerCertificate;
import io.outrigger.proxy.tls.PeerIdentity;
import io.outrigger.proxy.tls.TlsConnections;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a connection's non-terminal network filters before its terminal filter sees it. Auto-read is
 * off on accepted connections and the terminal filter only asks for bytes from its {@code
 * channelActive}, so holding that event back is what keeps the connection unread: it is passed on
 * once every filter continued, and this handler then leaves the pipeline.
 *
 * <p>On a TLS chain this handler sits after the TLS handler. A filter that {@linkplain
 * NetworkFilterFactory#needsTlsHandshake() needs the handshake} (RBAC, which reads the peer
 * certificate) runs only once it completed: the handler asks for the bytes the handshake needs (the
 * TLS handler reads on until it is done) and resumes the filters on the handshake's success event.
 * A failed handshake closes the connection in the TLS handler, so such a filter never runs for it.
 * What arrives while the filters decide (the handshake event, which the ALPN codec selector waits
 * for, and early application bytes) is kept and passed on after {@code channelActive}, in order;
 * while a filter holds the connection, bytes are read and dropped, only to notice the close.
 *
 * <p>Until then, a {@code channelInactive} stops here too, since the handlers after this one never
 * saw the connection open. Runs on the connection's event loop only.
 */
final class NetworkFilterHandler extends ChannelInboundHandlerAdapter
    implements NetworkFilterCallbacks {
  private final List<NetworkFilter> filters;
  private final boolean[] needsHandshake;
  private final List<Object> deferred = new ArrayList<>(2);
  private ChannelHandlerContext ctx;
  private int next;
  private boolean passed;
  private boolean holding;
  private boolean handshakeDone;
  private boolean awaitingHandshake;

  /**
   * @param tls whether a TLS handler precedes this one, so that filters needing the handshake wait
   *     for it
   */
  NetworkFilterHandler(List<NetworkFilterFactory> factories, boolean tls) {
    List<NetworkFilter> fs = new ArrayList<>(factories.size());
    needsHandshake = new boolean[factories.size()];
    for (int i = 0; i < factories.size(); i++) {
      fs.add(factories.get(i).create());
      needsHandshake[i] = tls && factories.get(i).needsTlsHandshake();
    }
    this.filters = fs;
    this.handshakeDone = !tls;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    continueConnection();
  }

  @Override
  public void continueConnection() {
    if (passed || holding || !ctx.channel().isActive()) {
      return;
    }
    while (next < filters.size()) {
      if (needsHandshake[next] && !handshakeDone) {
        awaitHandshake();
        return;
      }
      NetworkFilter f = filters.get(next++);
      if (f.onNewConnection(this) == NetworkFilterStatus.STOP_ITERATION) {
        return;
      }
    }
    passed = true;
    // The filters still hear of the close; the handler itself leaves the data path.
    ctx.channel().closeFuture().addListener(f -> closed());
    ctx.fireChannelActive();
    replayDeferred();
    ctx.pipeline().remove(this);
  }

  private void awaitHandshake() {
    if (!awaitingHandshake) {
      awaitingHandshake = true;
      ctx.read(); // auto-read is off; the TLS handler keeps reading until the handshake is done
    }
  }

  private void replayDeferred() {
    boolean read = false;
    for (Object o : deferred) {
      if (o instanceof SslHandshakeCompletionEvent) {
        ctx.fireUserEventTriggered(o);
      } else {
        read = true;
        ctx.fireChannelRead(o);
      }
    }
    deferred.clear();
    if (read) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (passed) {
      ctx.fireChannelRead(msg);
    } else if (holding) {
      ReferenceCountUtil.release(msg); // held: read only to notice the close
    } else {
      deferred.add(msg); // early bytes after the handshake, while a filter decides
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (passed) {
      ctx.fireChannelReadComplete();
    } else if (holding) {
      ctx.read();
    }
  }

  /** Half-close is allowed on accepted connections: a held downstream that half-closes left. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (passed) {
      ctx.fireUserEventTriggered(evt);
    } else if (evt instanceof SslHandshakeCompletionEvent e) {
      handshakeCompleted(e);
    } else if (evt instanceof ChannelInputShutdownEvent) {
      ctx.close();
    } else {
      ReferenceCountUtil.release(evt);
    }
  }

  private void handshakeCompleted(SslHandshakeCompletionEvent e) {
    if (!e.isSuccess()) {
      return; // the TLS handler closes the connection; the handlers after never saw it open
    }
    handshakeDone = true;
    if (!holding) {
      deferred.add(e);
    }
    if (awaitingHandshake) {
      awaitingHandshake = false;
      continueConnection();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (passed) {
      ctx.fireChannelInactive();
      return;
    }
    closed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (passed) {
      ctx.fireExceptionCaught(cause);
    } else {
      ctx.close();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseDeferred();
  }

  private void closed() {
    releaseDeferred();
    for (NetworkFilter f : filters) {
      f.onClose();
    }
  }

  private void releaseDeferred() {
    for (Object o : deferred) {
      ReferenceCountUtil.release(o);
    }
    deferred.clear();
  }

  /** Before the connection proceeded this handler closes it; after, the channel itself does. */
  @Override
  public void close() {
    if (!passed) {
      ctx.close();
    } else {
      ctx.channel().close();
    }
  }

  @Override
  public void reset() {
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    close();
  }

  @Override
  public void hold() {
    if (passed) {
      // Cut while open: a black hole both ways, next to the socket (below TLS).
      if (ctx.channel().isActive() && ctx.channel().pipeline().get(BlackHole.NAME) == null) {
        ctx.channel().pipeline().addFirst(BlackHole.NAME, new BlackHole());
      }
    } else if (!holding) {
      holding = true;
      releaseDeferred();
      ctx.read();
    }
  }

  @Override
  public EventExecutor executor() {
    return ctx.executor();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public InetSocketAddress localAddress() {
    return ctx.channel().localAddress() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public PeerCertificate peerCertificate() {
    PeerIdentity peer = PeerIdentity.of(ctx.channel());
    return peer == null ? null : peer.certificate();
  }

  @Override
  public String requestedServerName() {
    return TlsConnections.requestedServerName(ctx.channel());
  }
}
