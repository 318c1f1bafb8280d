package io.outrigger.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/** Questions about a connection's TLS that the HTTP layer asks. */
public final class TlsConnections {
  private TlsConnections() {}

  /** Whether {@code ch} (or, for an HTTP/2 stream, its connection) is TLS. */
  public static boolean isTls(Channel ch) {
    for (Channel c = ch; c != null; c = c.parent()) {
      if (c.pipeline().get(SslHandler.class) != null) {
        return true;
      }
    }
    return false;
  }
}
