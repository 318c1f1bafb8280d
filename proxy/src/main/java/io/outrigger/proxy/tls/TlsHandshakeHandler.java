package io.outrigger.proxy.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler}: when the handshake completes it counts it, and on a
 * downstream connection records the verified client certificate's {@link PeerIdentity} on the
 * channel, and leaves the pipeline; when it fails it counts and logs the reason and stays to end
 * the connection's error path. Runs on the connection's event loop.
 *
 * <p>Until the handshake ends it also owns the connection's error path, since the handlers after it
 * (the ALPN codec selector, network filters) do not exist yet or wait for the handshake: a peer
 * that half-closes can never finish a handshake, and the listener's sockets allow half-closure (for
 * {@code tcp_proxy}), so its FIN would otherwise leave the connection in CLOSE_WAIT until the
 * handshake timeout; an I/O error (a reset) closes the connection instead of reaching the end of
 * the pipeline. Either is then counted by the TLS handler's failure event as {@code closed}.
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);

  private final TlsStats stats;
  private final boolean downstream;
  private boolean failed;

  TlsHandshakeHandler(TlsStats stats, boolean downstream) {
    this.stats = stats;
    this.downstream = downstream;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      ctx.close();
      return;
    }
    if (evt instanceof SslHandshakeCompletionEvent e) {
      if (e.isSuccess()) {
        stats.handshake();
        if (downstream) {
          recordPeer(ctx);
        }
        ctx.pipeline().remove(this);
      } else {
        failed = true;
        TlsStats.FailureReason reason = classify(e.cause());
        stats.handshakeFailed(reason);
        if (reason == TlsStats.FailureReason.CLOSED) {
          log.debug("tls handshake with {} ended: the peer closed", ctx.channel().remoteAddress());
        } else {
          log.info(
              "tls handshake with {} failed ({}): {}",
              ctx.channel().remoteAddress(),
              reason.label(),
              e.cause().toString());
        }
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * After a failed handshake the TLS handler also fires the failure as an exception; it is counted
   * and logged above, and the TLS handler closes the connection, so it stops here.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failed || isClosure(cause)) {
      ctx.close();
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private static void recordPeer(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    try {
      var session = ssl.engine().getSession();
      Certificate[] peer = session.getPeerCertificates();
      Certificate[] local = session.getLocalCertificates();
      if (peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
        X509Certificate mine =
            local != null && local.length > 0 && local[0] instanceof X509Certificate l ? l : null;
        ctx.channel().attr(PeerIdentity.KEY).set(PeerIdentity.of(leaf, mine));
      }
    } catch (SSLPeerUnverifiedException e) {
      // No client certificate: the connection is anonymous.
    }
  }

  /** A close or reset by the peer: an I/O error that is not TLS's own (a timeout, a bad record). */
  private static boolean isClosure(Throwable cause) {
    return cause instanceof ClosedChannelException
        || (cause instanceof IOException && !(cause instanceof SSLException));
  }

  /** Maps a handshake failure to a bounded reason, looking through the cause chain. */
  static TlsStats.FailureReason classify(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SanMismatchException) {
        return TlsStats.FailureReason.SAN_MISMATCH;
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return TlsStats.FailureReason.PROTOCOL;
      }
      if (t instanceof CertPathValidatorException || t instanceof CertificateException) {
        return TlsStats.FailureReason.UNTRUSTED;
      }
      String m = String.valueOf(t.getMessage()).toUpperCase(Locale.ROOT);
      if (m.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")
          || m.contains("NULL CERT CHAIN")
          || m.contains("EMPTY CLIENT CERTIFICATE")
          || m.contains("CERTIFICATE_REQUIRED")
          || m.contains("CERTIFICATE REQUIRED")) {
        return TlsStats.FailureReason.NO_CERTIFICATE;
      }
      if (m.contains("CERTIFICATE_VERIFY_FAILED")
          || m.contains("UNKNOWN_CA")
          || m.contains("UNKNOWN CA")
          || m.contains("BAD_CERTIFICATE")
          || m.contains("BAD CERTIFICATE")
          || m.contains("PKIX")) {
        return TlsStats.FailureReason.UNTRUSTED;
      }
      if (m.contains("PROTOCOL")
          || m.contains("NO_SHARED_CIPHER")
          || m.contains("NO CIPHER SUITES IN COMMON")
          || m.contains("NO APPROPRIATE PROTOCOL")
          || m.contains("WRONG_VERSION_NUMBER")
          || m.contains("UNSUPPORTED_PROTOCOL")) {
        return TlsStats.FailureReason.PROTOCOL;
      }
    }
    if (isClosure(cause)) {
      return TlsStats.FailureReason.CLOSED;
    }
    return cause instanceof DecoderException
        ? TlsStats.FailureReason.PROTOCOL
        : TlsStats.FailureReason.OTHER;
  }
}
