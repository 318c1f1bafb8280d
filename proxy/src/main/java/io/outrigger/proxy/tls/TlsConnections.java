package io.outrigger.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

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

  /**
   * The SNI the downstream of {@code ch} (or, for an HTTP/2 stream, of its connection) sent, once
   * the handshake completed; empty when it sent none or the connection is plaintext.
   */
  public static String requestedServerName(Channel ch) {
    for (Channel c = ch; c != null; c = c.parent()) {
      SslHandler ssl = c.pipeline().get(SslHandler.class);
      if (ssl != null) {
        return ssl.handshakeFuture().isSuccess() ? sni(ssl.engine().getSession()) : "";
      }
    }
    return "";
  }

  private static String sni(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      try {
        for (SNIServerName name : extended.getRequestedServerNames()) {
          if (name instanceof SNIHostName host) {
            return host.getAsciiName();
          }
        }
      } catch (UnsupportedOperationException e) {
        return "";
      }
    }
    return "";
  }
}
