package io.outrigger.proxy.tls;

import io.outrigger.api.model.tls.ValidationConfig;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a peer as Envoy's {@code CertificateValidationContext} does: the chain must lead to one
 * of the {@code trusted_ca} certificates (PKIX, no revocation), and when URI SAN matchers are
 * configured the leaf must carry a URI SAN one of them accepts. The host name is never compared
 * with the certificate unless a matcher says so (Envoy's rule), so the engine's endpoint
 * identification is bypassed on purpose.
 *
 * <p>Called by the TLS engine during the handshake, on the connection's event loop; holds no
 * mutable state.
 */
final class PeerVerifier extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final ValidationConfig config;

  private PeerVerifier(X509ExtendedTrustManager pkix, ValidationConfig config) {
    this.pkix = pkix;
    this.config = config;
  }

  /**
   * @param trustedCas the {@code trusted_ca} certificates
   * @throws GeneralSecurityException when no PKIX trust manager can be built from them
   */
  static PeerVerifier of(List<X509Certificate> trustedCas, ValidationConfig config)
      throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < trustedCas.size(); i++) {
      ks.setCertificateEntry("ca-" + i, trustedCas.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return new PeerVerifier(x, config);
      }
    }
    throw new GeneralSecurityException("no X509ExtendedTrustManager for PKIX");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
    checkSan(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    checkSan(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private void checkSan(X509Certificate[] chain) throws CertificateException {
    List<String> uris = PeerIdentity.uriSans(chain[0]);
    if (!config.sanAccepted(uris)) {
      throw new SanMismatchException(
          "peer URI SANs " + uris + " match none of " + config.uriSanMatchers());
    }
  }
}
