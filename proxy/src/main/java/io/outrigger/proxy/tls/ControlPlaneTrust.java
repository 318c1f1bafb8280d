package io.outrigger.proxy.tls;

import io.outrigger.api.model.tls.CommonTlsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS material of the discovery stream's cluster, for the gRPC channel, whose {@code
 * SslContext} is built apart from the data path's (gRPC's own settings, the JDK provider): the
 * server verification of the cluster's {@code validation_context} as a JDK trust manager, and its
 * client certificate as PEM. Read once, when the discovery client starts; blocking file I/O.
 *
 * @param verifier Envoy's rules ({@link PeerVerifier}): the chain must lead to {@code trusted_ca},
 *     the URI SAN matchers must accept the leaf, the host name is not compared; empty when the
 *     cluster has no validation context (then the server is not verified, as in Envoy)
 * @param certificateChainPem the client certificate chain, when the cluster presents one
 * @param privateKeyPem its key, when the cluster presents one
 */
public record ControlPlaneTrust(
    Optional<X509ExtendedTrustManager> verifier,
    Optional<String> certificateChainPem,
    Optional<String> privateKeyPem) {

  /**
   * Reads {@code common}'s files or inline PEM.
   *
   * @throws IOException when a file cannot be read
   * @throws GeneralSecurityException when a certificate is not PEM X.509
   */
  public static ControlPlaneTrust read(CommonTlsConfig common)
      throws IOException, GeneralSecurityException {
    TlsMaterial material = TlsMaterial.read(common);
    Optional<X509ExtendedTrustManager> verifier =
        common.validation().isPresent()
            ? Optional.of(PeerVerifier.of(material.trustedCas(), common.validation().get()))
            : Optional.empty();
    return new ControlPlaneTrust(
        verifier, Optional.ofNullable(material.chainPem()), Optional.ofNullable(material.keyPem()));
  }
}
