package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code TlsCertificate}: a certificate chain (PEM, leaf first) and its private key (PEM,
 * PKCS#8 or traditional, unencrypted).
 */
public record TlsCertificateConfig(DataSourceConfig certificateChain, DataSourceConfig privateKey) {
  public TlsCertificateConfig {
    requireNonNull(certificateChain, "certificateChain");
    requireNonNull(privateKey, "privateKey");
  }
}
