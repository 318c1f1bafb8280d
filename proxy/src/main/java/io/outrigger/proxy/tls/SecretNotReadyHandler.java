package io.outrigger.proxy.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stands where the {@code SslHandler} would for a connection whose TLS context still waits for its
 * SDS secret (the listener or cluster was activated by its warming timeout): counts {@code
 * downstream_context_secrets_not_ready} or {@code upstream_context_secrets_not_ready} and closes
 * the connection, as Envoy fails the handshake. Runs on the connection's event loop.
 */
final class SecretNotReadyHandler extends ChannelInboundHandlerAdapter {
  private final TlsStats stats;

  SecretNotReadyHandler(TlsStats stats) {
    this.stats = stats;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    stats.secretsNotReady();
    ctx.close();
  }
}
