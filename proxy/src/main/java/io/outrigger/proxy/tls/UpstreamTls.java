package io.outrigger.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Puts TLS first in a new upstream connection's pipeline when the cluster has a transport socket,
 * and tells the connection's owner (an HTTP pool, {@code tcp_proxy}) when such a connection is
 * established: as in Envoy, only once its handshake succeeded, so that a handshake that fails (an
 * untrusted server, a SAN that does not match, no common protocol) or takes longer than {@code
 * connect_timeout} is a connection failure ({@code UF}, {@code upstream_cx_connect_fail}), not a
 * reset of the request or the relay that was waiting for it.
 */
public final class UpstreamTls {
  private UpstreamTls() {}

  /**
   * Call in the new channel's initializer, before the owner's handlers.
   *
   * @param tls the cluster's TLS origination; {@code null} for plaintext (nothing is installed)
   */
  public static void install(
      Channel ch, ClientTls tls, InetSocketAddress peer, Duration connectTimeout) {
    if (tls != null) {
      ch.pipeline().addLast("tls", tls.newHandler(ch, peer));
      ch.pipeline().addLast("tls-handshake", tls.newHandshakeHandler());
      SslHandler ssl = ch.pipeline().get(SslHandler.class);
      if (ssl != null && !connectTimeout.isZero()) {
        ssl.setHandshakeTimeoutMillis(connectTimeout.toMillis());
      }
    }
  }

  /**
   * Completes when {@code ch}, connected, can carry requests: at once in plaintext, after the
   * handshake with TLS. A failed handshake has already closed the connection.
   */
  public static Future<?> established(Channel ch) {
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    return ssl == null ? ch.newSucceededFuture() : ssl.handshakeFuture();
  }
}
