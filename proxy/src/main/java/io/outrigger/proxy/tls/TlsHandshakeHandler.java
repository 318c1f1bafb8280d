package io.outrigger.proxy.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler}: when the handshake completes it counts it, and on a
 * downstream connection records the verified client certificate's {@link PeerIdentity} on the
 * channel, and leaves the pipeline; when it fails it counts and logs the reason and stays to end
 * the connection's error path. Runs on the connection's event loop.
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
        log.info(
            "tls handshake with {} failed ({}): {}",
            ctx.channel().remoteAddress(),
            reason.label(),
            e.cause().toString());
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
    if (failed) {
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
    return cause instanceof DecoderException
        ? TlsStats.FailureReason.PROTOCOL
        : TlsStats.FailureReason.OTHER;
  }
}
