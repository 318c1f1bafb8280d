package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Envoy's {@code CertificateValidationContext}: how the peer's certificate is verified.
 *
 * @param trustedCa the CA certificates (PEM) the peer's chain must lead to
 * @param uriSanMatchers when not empty, the peer's certificate must carry a URI SAN that one of
 *     these matches; empty accepts any certificate the CA verifies. The host name is never checked
 *     unless a matcher says so, as in Envoy.
 */
public record ValidationConfig(DataSourceConfig trustedCa, List<SanMatcher> uriSanMatchers) {
  public ValidationConfig {
    requireNonNull(trustedCa, "trustedCa");
    uriSanMatchers = List.copyOf(requireNonNull(uriSanMatchers, "uriSanMatchers"));
  }

  /** Whether {@code uriSans} (the peer's URI SANs) satisfy the matchers. */
  public boolean sanAccepted(List<String> uriSans) {
    return uriSanMatchers.isEmpty()
        || uriSans.stream().anyMatch(s -> uriSanMatchers.stream().anyMatch(m -> m.matches(s)));
  }
}
