package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code DownstreamTlsContext}: TLS termination on a filter chain.
 *
 * @param common the certificate (required), parameters, ALPN and client validation
 * @param requireClientCertificate {@code require_client_certificate}; default false. When true the
 *     handshake fails without a client certificate the validation context accepts; when false a
 *     client certificate is asked for (if there is a validation context) and verified if given.
 */
public record DownstreamTlsConfig(CommonTlsConfig common, boolean requireClientCertificate) {
  public DownstreamTlsConfig {
    requireNonNull(common, "common");
    if (!common.hasCertificate()) {
      throw new IllegalArgumentException(
          "common_tls_context: no tls_certificates (expected: the listener's certificate and key)");
    }
    if (requireClientCertificate && !common.hasValidation()) {
      throw new IllegalArgumentException(
          "require_client_certificate: true without common_tls_context.validation_context"
              + " (expected: a trusted_ca to verify clients with)");
    }
  }
}
