package io.outrigger.proxy.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterCallbacks;
import io.outrigger.filters.network.NetworkFilterFactory;
import io.outrigger.filters.network.NetworkFilterStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a connection's non-terminal network filters before its terminal filter sees it. Auto-read is
 * off on accepted connections and the terminal filter only asks for bytes from its {@code
 * channelActive}, so holding that event back is what keeps the connection unread: it is passed on
 * once every filter continued, and this handler then leaves the pipeline.
 *
 * <p>Until then, a {@code channelInactive} stops here too, since the handlers after this one never
 * saw the connection open. Runs on the connection's event loop only.
 */
final class NetworkFilterHandler extends ChannelInboundHandlerAdapter
    implements NetworkFilterCallbacks {
  private final List<NetworkFilter> filters;
  private ChannelHandlerContext ctx;
  private int next;
  private boolean passed;
  private boolean holding;

  NetworkFilterHandler(List<NetworkFilterFactory> factories) {
    List<NetworkFilter> fs = new ArrayList<>(factories.size());
    for (NetworkFilterFactory f : factories) {
      fs.add(f.create());
    }
    this.filters = fs;
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
      NetworkFilter f = filters.get(next++);
      if (f.onNewConnection(this) == NetworkFilterStatus.STOP_ITERATION) {
        return;
      }
    }
    passed = true;
    // The filters still hear of the close; the handler itself leaves the data path.
    ctx.channel().closeFuture().addListener(f -> closed());
    ctx.fireChannelActive();
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (passed) {
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg); // held: read only to notice the close
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
    } else if (evt instanceof ChannelInputShutdownEvent) {
      ctx.close();
    } else {
      ReferenceCountUtil.release(evt);
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

  private void closed() {
    for (NetworkFilter f : filters) {
      f.onClose();
    }
  }

  @Override
  public void close() {
    if (!passed) {
      ctx.close();
    }
  }

  @Override
  public void reset() {
    if (!passed) {
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      ctx.close();
    }
  }

  @Override
  public void hold() {
    if (!passed && !holding) {
      holding = true;
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
}
