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
 * @param validation {@code validation_context}; absent means the peer's certificate is not verified
 *     (and not asked for, downstream)
 */
public record CommonTlsConfig(
    List<TlsCertificateConfig> certificates,
    TlsParamsConfig params,
    List<String> alpnProtocols,
    Optional<ValidationConfig> validation) {
  public static final String ALPN_H2 = "h2";
  public static final String ALPN_HTTP11 = "http/1.1";

  public CommonTlsConfig {
    certificates = List.copyOf(requireNonNull(certificates, "certificates"));
    requireNonNull(params, "params");
    alpnProtocols = List.copyOf(requireNonNull(alpnProtocols, "alpnProtocols"));
    requireNonNull(validation, "validation");
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

  /** The certificate, when there is one. */
  public Optional<TlsCertificateConfig> certificate() {
    return certificates.stream().findFirst();
  }
}
