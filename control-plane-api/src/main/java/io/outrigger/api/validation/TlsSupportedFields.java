package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.BaseProto;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonProto;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SecretProto;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/** The {@link SupportedFields} rules of TLS transport sockets. */
final class TlsSupportedFields {
  private TlsSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, BaseProto.getDescriptor(), "TransportSocket")
        .read("name", "envoy.transport_sockets.tls only")
        .read(
            "typed_config",
            "DownstreamTlsContext (filter chains) or UpstreamTlsContext (clusters)");
    TypeRules.of(t, TlsProto.getDescriptor(), "DownstreamTlsContext")
        .read("common_tls_context", "required: the certificate")
        .read("require_client_certificate", "default false; true needs a validation_context");
    TypeRules.of(t, TlsProto.getDescriptor(), "UpstreamTlsContext")
        .read("common_tls_context", "client certificate (mTLS), ALPN, server validation")
        .read("sni", "default none sent");
    TypeRules.of(t, TlsProto.getDescriptor(), "CommonTlsContext")
        .read("tls_certificates", "at most one; files are watched and reloaded on change")
        .read("tls_params", "default TLS 1.2 to 1.3, ECDHE AEAD suites")
        .read("alpn_protocols", "h2 and http/1.1; on a listener ALPN picks the HTTP codec")
        .read("validation_context", "trusted_ca and URI SAN matchers")
        .read(
            "tls_certificate_sds_secret_configs",
            "exactly one; instead of tls_certificates; a Secret over ADS or from the bootstrap")
        .read(
            "validation_context_sds_secret_config",
            "a Secret with a validation_context, over ADS or from the bootstrap")
        .read(
            "combined_validation_context",
            "default_validation_context merged with the SDS one (the secret's trusted_ca wins,"
                + " SAN matchers add up)");
    TypeRules.of(
            t, TlsProto.getDescriptor(), "CommonTlsContext", "CombinedCertificateValidationContext")
        .read("default_validation_context", "trusted_ca optional here; URI SAN matchers")
        .read("validation_context_sds_secret_config", "required");
    TypeRules.of(t, SecretProto.getDescriptor(), "SdsSecretConfig")
        .read("name", "required")
        .read("sds_config", "ads: {} (over the ADS stream) or absent (a static secret)");
    TypeRules.of(t, SecretProto.getDescriptor(), "Secret")
        .read("name", "required")
        .read("tls_certificate", "certificate_chain and private_key")
        .read("validation_context", "trusted_ca and URI SAN matchers");
    TypeRules.of(t, CommonProto.getDescriptor(), "TlsCertificate")
        .read("certificate_chain", "required; PEM, leaf first")
        .read("private_key", "required; PEM, unencrypted");
    TypeRules.of(t, CommonProto.getDescriptor(), "TlsParameters")
        .read("tls_minimum_protocol_version", "TLSv1_2 (default) or TLSv1_3")
        .read("tls_maximum_protocol_version", "TLSv1_3 (default) or TLSv1_2")
        .read("cipher_suites", "TLS 1.2 ECDHE suites with AES-GCM or CHACHA20-POLY1305 only");
    TypeRules.of(t, CommonProto.getDescriptor(), "CertificateValidationContext")
        .read("trusted_ca", "required; PEM CA certificates")
        .read("match_typed_subject_alt_names", "URI SANs, exact or prefix");
    TypeRules.of(t, CommonProto.getDescriptor(), "SubjectAltNameMatcher")
        .read("san_type", "URI only")
        .read("matcher", "exact or prefix");
  }
}
