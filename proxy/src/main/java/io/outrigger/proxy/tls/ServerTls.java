package io.outrigger.proxy.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.outrigger.api.model.tls.DownstreamTlsConfig;

/**
 * TLS termination for one filter chain version: hands each new connection an {@code SslHandler}
 * from the current (possibly rotated) context and a handler that counts the handshake and records
 * the peer's identity. Built once per configuration snapshot; {@link #close()} when the chain
 * version takes no more connections.
 */
public final class ServerTls implements AutoCloseable {
  private final DownstreamTlsConfig config;
  private final ReloadableSslContext context;
  private final TlsStats stats;
  private final CertificateWatcher watcher;
  private final SecretManager secrets;

  ServerTls(
      DownstreamTlsConfig config,
      ReloadableSslContext context,
      TlsStats stats,
      CertificateWatcher watcher,
      SecretManager secrets) {
    this.config = config;
    this.context = context;
    this.stats = stats;
    this.watcher = watcher;
    this.secrets = secrets;
    watcher.watch(context);
  }

  /**
   * A new connection's TLS handler; call on its event loop. While a Secret has not arrived (the
   * listener served anyway after its warming timeout) the handler counts the connection and closes
   * it: the handshake fails, as in Envoy.
   */
  public ChannelHandler newHandler(Channel ch) {
    SslContext ctx = context.current();
    return ctx == null ? new SecretNotReadyHandler(stats) : ctx.newHandler(ch.alloc());
  }

  /** The handler that goes right after {@link #newHandler}: statistics and peer identity. */
  public ChannelHandler newHandshakeHandler() {
    return new TlsHandshakeHandler(stats, true);
  }

  /** Whether ALPN is offered, so that the negotiated protocol picks the HTTP codec. */
  public boolean negotiatesAlpn() {
    return !config.common().alpnProtocols().isEmpty();
  }

  @Override
  public void close() {
    watcher.unwatch(context);
    secrets.unregister(context);
  }

  /**
   * Completes once the certificate and validation context are there: at once, or when the last
   * Secret they need arrived over SDS (until then the listener or cluster warms).
   */
  public java.util.concurrent.CompletableFuture<Void> ready() {
    return context.ready();
  }
}
