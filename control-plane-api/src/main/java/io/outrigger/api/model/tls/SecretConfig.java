package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Envoy's {@code extensions.transport_sockets.tls.v3.Secret}, for the subset supported: exactly one
 * of a TLS certificate (key and chain) or a validation context (trusted CA, SAN matchers). Comes
 * from the bootstrap's {@code static_resources.secrets} or from SDS over the aggregated stream.
 *
 * @param name {@code name}, required
 * @param tlsCertificate {@code tls_certificate}
 * @param validationContext {@code validation_context}
 */
public record SecretConfig(
    String name,
    Optional<TlsCertificateConfig> tlsCertificate,
    Optional<ValidationContextPart> validationContext) {
  public SecretConfig {
    requireNonNull(name, "name");
    requireNonNull(tlsCertificate, "tlsCertificate");
    requireNonNull(validationContext, "validationContext");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: the name TLS contexts use)");
    }
    if (tlsCertificate.isPresent() == validationContext.isPresent()) {
      throw new IllegalArgumentException(
          "type: expected exactly one of tls_certificate or validation_context");
    }
  }

  public static SecretConfig certificate(String name, TlsCertificateConfig certificate) {
    return new SecretConfig(name, Optional.of(certificate), Optional.empty());
  }

  public static SecretConfig validation(String name, ValidationContextPart validation) {
    return new SecretConfig(name, Optional.empty(), Optional.of(validation));
  }
}
