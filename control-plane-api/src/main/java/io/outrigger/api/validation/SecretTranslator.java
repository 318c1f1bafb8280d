package io.outrigger.api.validation;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SecretProto;
import io.outrigger.api.model.tls.SdsValidationConfig;
import io.outrigger.api.model.tls.SecretConfig;
import io.outrigger.api.model.tls.ValidationContextPart;
import java.util.Optional;

/**
 * Translates secrets: {@code Secret} resources (the bootstrap's {@code static_resources.secrets}
 * and SDS over the aggregated stream) and the {@code SdsSecretConfig}s that TLS contexts name them
 * with. A secret is found over ADS ({@code sds_config: {ads: {}}}) or among the static secrets
 * ({@code sds_config} absent), as in Envoy; any other config source is refused.
 */
public final class SecretTranslator {
  /** The type URL of SDS resources. */
  public static final String TYPE_URL = ProtoTypes.typeUrl(SecretProto.getDescriptor(), "Secret");

  private SecretTranslator() {}

  /**
   * A whole Secret: exactly one of {@code tls_certificate} (chain and key required) or {@code
   * validation_context} ({@code trusted_ca} may be left to a combined context's default).
   *
   * @param path where it sits, e.g. {@code static_resources.secrets[0]}; empty for an SDS resource
   */
  public static SecretConfig translate(Secret proto, String path) throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    if (proto.getName().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "name"), "required");
    }
    return switch (proto.getTypeCase()) {
      case TLS_CERTIFICATE ->
          SecretConfig.certificate(
              proto.getName(),
              TlsTranslator.certificate(
                  proto.getTlsCertificate(), Paths.field(path, "tls_certificate")));
      case VALIDATION_CONTEXT ->
          SecretConfig.validation(
              proto.getName(),
              TlsTranslator.validationPart(
                  proto.getValidationContext(), Paths.field(path, "validation_context")));
      default ->
          throw ConfigException.at(path, "one of tls_certificate or validation_context required");
    };
  }

  /** {@code tls_certificate_sds_secret_configs}: none, or exactly one (as Envoy). */
  static Optional<io.outrigger.api.model.tls.SdsSecretConfig> certificateSds(
      CommonTlsContext proto, String path) throws ConfigException {
    int n = proto.getTlsCertificateSdsSecretConfigsCount();
    if (n == 0) {
      return Optional.empty();
    }
    String at = Paths.field(path, "tls_certificate_sds_secret_configs");
    if (n > 1) {
      throw ConfigException.at(at, n + " secrets (expected: exactly one)");
    }
    if (proto.getTlsCertificatesCount() > 0) {
      throw ConfigException.at(
          at, "set together with tls_certificates (expected: one or the other)");
    }
    return Optional.of(
        sds(
            proto.getTlsCertificateSdsSecretConfigs(0),
            Paths.item(path, "tls_certificate_sds_secret_configs", 0)));
  }

  /**
   * {@code validation_context_sds_secret_config} or {@code combined_validation_context} (its {@code
   * default_validation_context} merged with the secret's context).
   */
  static Optional<SdsValidationConfig> validationSds(CommonTlsContext proto, String path)
      throws ConfigException {
    if (proto.hasValidationContextSdsSecretConfig()) {
      return Optional.of(
          new SdsValidationConfig(
              sds(
                  proto.getValidationContextSdsSecretConfig(),
                  Paths.field(path, "validation_context_sds_secret_config")),
              ValidationContextPart.EMPTY));
    }
    if (!proto.hasCombinedValidationContext()) {
      return Optional.empty();
    }
    String at = Paths.field(path, "combined_validation_context");
    var combined = proto.getCombinedValidationContext();
    if (!combined.hasValidationContextSdsSecretConfig()) {
      throw ConfigException.at(Paths.field(at, "validation_context_sds_secret_config"), "required");
    }
    ValidationContextPart defaults =
        combined.hasDefaultValidationContext()
            ? TlsTranslator.validationPart(
                combined.getDefaultValidationContext(),
                Paths.field(at, "default_validation_context"))
            : ValidationContextPart.EMPTY;
    return Optional.of(
        new SdsValidationConfig(
            sds(
                combined.getValidationContextSdsSecretConfig(),
                Paths.field(at, "validation_context_sds_secret_config")),
            defaults));
  }

  private static io.outrigger.api.model.tls.SdsSecretConfig sds(SdsSecretConfig proto, String path)
      throws ConfigException {
    if (proto.getName().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "name"), "required");
    }
    boolean ads = proto.hasSdsConfig();
    if (ads) {
      ConfigSourceTranslator.requireAds(proto.getSdsConfig(), Paths.field(path, "sds_config"));
    }
    return new io.outrigger.api.model.tls.SdsSecretConfig(proto.getName(), ads);
  }
}
