package io.outrigger.proxy.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.outrigger.api.model.tls.CommonTlsConfig;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import java.net.InetSocketAddress;

/**
 * TLS origination for one cluster version: an {@code SslHandler} per upstream connection from the
 * current (possibly rotated) context, with the configured SNI. Built once per cluster
 * configuration; {@link #close()} when the cluster is replaced.
 */
public final class ClientTls implements AutoCloseable {
  private final UpstreamTlsConfig config;
  private final ReloadableSslContext context;
  private final TlsStats stats;
  private final CertificateWatcher watcher;
  private final SecretManager secrets;

  ClientTls(
      UpstreamTlsConfig config,
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
   * A new upstream connection's TLS handler; call on its event loop. The SNI is {@code sni} when
   * configured (and then also the session-resumption key with the port); none otherwise.
   */
  public ChannelHandler newHandler(Channel ch, InetSocketAddress peer) {
    SslContext ctx = context.current();
    if (ctx == null) {
      // The Secret never came and the cluster serves anyway: the connection fails, as in Envoy.
      return new SecretNotReadyHandler(stats);
    }
    return config.sni().isEmpty()
        ? ctx.newHandler(ch.alloc())
        : ctx.newHandler(ch.alloc(), config.sni(), peer.getPort());
  }

  /** The handler that goes right after {@link #newHandler}: handshake statistics. */
  public ChannelHandler newHandshakeHandler() {
    return new TlsHandshakeHandler(stats, false);
  }

  /** Whether ALPN's first choice is {@code h2}: the cluster then speaks HTTP/2 over TLS. */
  public boolean prefersHttp2() {
    return !config.common().alpnProtocols().isEmpty()
        && config.common().alpnProtocols().get(0).equals(CommonTlsConfig.ALPN_H2);
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
