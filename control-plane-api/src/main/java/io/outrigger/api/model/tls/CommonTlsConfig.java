package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Envoy's {@code CommonTlsContext}.
 *
 * @param certificates {@code tls_certificates}: this side's certificate and key; at most one
 * @param params {@code tls_params}; default TLS 1.2–1.3 with AEAD suites
 * @param alpnProtocols {@code alpn_protocols} in preference order, {@code h2} and {@code http/1.1};
 *     default none (no ALPN)
 * @param validation {@code validation_context}; absent (and no {@code validationSds}) means the
 *     peer's certificate is not verified (and not asked for, downstream)
 * @param certificateSds {@code tls_certificate_sds_secret_configs} (exactly one): the certificate
 *     comes from a Secret instead of {@code tls_certificates}
 * @param validationSds {@code validation_context_sds_secret_config} or {@code
 *     combined_validation_context}: the validation context comes (partly) from a Secret
 */
public record CommonTlsConfig(
    List<TlsCertificateConfig> certificates,
    TlsParamsConfig params,
    List<String> alpnProtocols,
    Optional<ValidationConfig> validation,
    Optional<SdsSecretConfig> certificateSds,
    Optional<SdsValidationConfig> validationSds) {
  public static final String ALPN_H2 = "h2";
  public static final String ALPN_HTTP11 = "http/1.1";

  public CommonTlsConfig {
    certificates = List.copyOf(requireNonNull(certificates, "certificates"));
    requireNonNull(params, "params");
    alpnProtocols = List.copyOf(requireNonNull(alpnProtocols, "alpnProtocols"));
    requireNonNull(validation, "validation");
    requireNonNull(certificateSds, "certificateSds");
    requireNonNull(validationSds, "validationSds");
    if (!certificates.isEmpty() && certificateSds.isPresent()) {
      throw new IllegalArgumentException(
          "tls_certificates and tls_certificate_sds_secret_configs: both set (expected: one)");
    }
    if (validation.isPresent() && validationSds.isPresent()) {
      throw new IllegalArgumentException(
          "validation_context and a validation context from SDS: both set (expected: one)");
    }
    if (certificates.size() > 1) {
      throw new IllegalArgumentException(
          "tls_certificates: " + certificates.size() + " certificates (expected: at most one)");
    }
    for (String p : alpnProtocols) {
      if (!p.equals(ALPN_H2) && !p.equals(ALPN_HTTP11)) {
        throw new IllegalArgumentException(
            "alpn_protocols: \"" + p + "\" (expected: h2 or http/1.1)");
      }
    }
  }

  /** Without secrets: certificate and validation context written out (or absent). */
  public CommonTlsConfig(
      List<TlsCertificateConfig> certificates,
      TlsParamsConfig params,
      List<String> alpnProtocols,
      Optional<ValidationConfig> validation) {
    this(certificates, params, alpnProtocols, validation, Optional.empty(), Optional.empty());
  }

  /** Whether this side presents a certificate, written out or from a Secret. */
  public boolean hasCertificate() {
    return !certificates.isEmpty() || certificateSds.isPresent();
  }

  /** Whether the peer is verified, by a context written out or from a Secret. */
  public boolean hasValidation() {
    return validation.isPresent() || validationSds.isPresent();
  }

  /** Whether anything comes from a Secret. */
  public boolean usesSecrets() {
    return certificateSds.isPresent() || validationSds.isPresent();
  }

  /**
   * This configuration with its secrets resolved: the certificate and validation context written
   * out, no secret left.
   */
  public CommonTlsConfig resolved(
      Optional<TlsCertificateConfig> certificate, Optional<ValidationConfig> validation) {
    return new CommonTlsConfig(
        certificate.map(List::of).orElse(List.of()), params, alpnProtocols, validation);
  }

  /** The certificate, when there is one. */
  public Optional<TlsCertificateConfig> certificate() {
    return certificates.stream().findFirst();
  }
}
