package io.outrigger.proxy.upstream.pool;

import io.netty.channel.Channel;
import io.outrigger.proxy.tls.ClientTls;
import java.net.InetSocketAddress;

/**
 * Puts TLS first in a new upstream connection's pipeline when the cluster has a transport socket.
 * Requests written before the handshake completes wait in the TLS handler; a failed handshake
 * closes the connection, which the pool reports like any other close.
 */
final class UpstreamTls {
  private UpstreamTls() {}

  static void install(Channel ch, ClientTls tls, InetSocketAddress peer) {
    if (tls != null) {
      ch.pipeline().addLast("tls", tls.newHandler(ch, peer));
      ch.pipeline().addLast("tls-handshake", tls.newHandshakeHandler());
    }
  }
}
