package io.outrigger.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a connection's filter chain from its first bytes, as Envoy's TLS inspector does: a TLS
 * record makes it {@code tls} and its ClientHello's SNI the server name; anything else is {@code
 * raw_buffer} without a server name. The chosen chain's handlers are added after this one, which
 * then leaves the pipeline and hands them the bytes it read. No match closes the connection.
 *
 * <p>The connection's {@code channelActive} is held back until the chain is installed, so that its
 * handlers see the connection start as usual. Reads are asked for on demand (auto-read is off).
 */
final class FilterChainSelector extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(FilterChainSelector.class);

  /** {@link SslHandler#isEncrypted} needs a record header. */
  private static final int RECORD_HEADER = 5;

  /**
   * Envoy's {@code listener_filters_timeout} default: a client that sends too little to choose a
   * chain is closed after this.
   */
  static final long TIMEOUT_MILLIS = 15_000;

  private final ListenerChains chains;
  private ScheduledFuture<?> timeout;

  FilterChainSelector(ListenerChains chains) {
    this.chains = chains;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> timedOut(ctx), TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    ctx.read(); // held back until the chain is installed; ask for the first bytes
  }

  private static void timedOut(ChannelHandlerContext ctx) {
    if (!ctx.isRemoved()) {
      log.debug("no filter chain chosen for {} in time: closing", ctx.channel().remoteAddress());
      ctx.close();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    // Replaced by the SNI step, which inherits no timer: the ClientHello is already arriving.
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER) {
      return; // ByteToMessageDecoder asks for more when nothing was decoded
    }
    if (SslHandler.isEncrypted(in, false)) {
      ctx.pipeline().replace(this, "filter-chain-sni", new SniSelector(chains));
    } else {
      install(ctx, chains, null, TransportProtocol.RAW_BUFFER);
      ctx.pipeline().remove(this);
    }
  }

  /** Installs the chain for ({@code serverName}, {@code transport}), or closes the connection. */
  static boolean install(
      ChannelHandlerContext ctx,
      ListenerChains chains,
      String serverName,
      TransportProtocol transport) {
    FilterChainInitializer chain = chains.select(serverName, transport);
    if (chain == null) {
      log.debug(
          "no filter chain matches {} (server name {}, {}): closing",
          ctx.channel().remoteAddress(),
          serverName,
          transport.configName());
      ctx.close();
      return false;
    }
    chain.installChain(ctx.channel());
    ctx.fireChannelActive();
    return true;
  }

  /** The second step for TLS: reads the ClientHello's SNI, then installs the chain. */
  private static final class SniSelector extends AbstractSniHandler<String> {
    private final ListenerChains chains;

    SniSelector(ListenerChains chains) {
      this.chains = chains;
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, String hostname) {
      return ctx.executor().newSucceededFuture(hostname);
    }

    @Override
    protected void onLookupComplete(
        ChannelHandlerContext ctx, String hostname, Future<String> future) {
      if (install(ctx, chains, hostname, TransportProtocol.TLS)) {
        ctx.pipeline().remove(this);
      }
    }
  }
}
