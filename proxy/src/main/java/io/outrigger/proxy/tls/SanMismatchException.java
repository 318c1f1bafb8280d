package io.outrigger.proxy.tls;

import java.security.cert.CertificateException;

/**
 * The peer's certificate chains to a trusted CA but carries no URI SAN that the validation
 * context's matchers accept. A separate type so that the handshake failure is counted as {@code
 * san_mismatch}, not {@code untrusted}.
 */
final class SanMismatchException extends CertificateException {
  private static final long serialVersionUID = 1L;

  SanMismatchException(String message) {
    super(message);
  }
}
