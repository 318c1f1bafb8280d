package io.outrigger.proxy.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslHandler;
import io.outrigger.api.model.tls.DownstreamTlsConfig;

/**
 * TLS termination for one filter chain version: hands each new connection an {@link SslHandler}
 * from the current (possibly rotated) context and a handler that counts the handshake and records
 * the peer's identity. Built once per configuration snapshot; {@link #close()} when the chain
 * version takes no more connections.
 */
public final class ServerTls implements AutoCloseable {
  private final DownstreamTlsConfig config;
  private final ReloadableSslContext context;
  private final TlsStats stats;
  private final CertificateWatcher watcher;

  ServerTls(
      DownstreamTlsConfig config,
      ReloadableSslContext context,
      TlsStats stats,
      CertificateWatcher watcher) {
    this.config = config;
    this.context = context;
    this.stats = stats;
    this.watcher = watcher;
    watcher.watch(context);
  }

  /** A new connection's TLS handler; call on its event loop. */
  public SslHandler newHandler(Channel ch) {
    return context.current().newHandler(ch.alloc());
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
  }
}
