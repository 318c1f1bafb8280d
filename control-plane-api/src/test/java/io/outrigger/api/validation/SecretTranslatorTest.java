package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.GenericSecret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.outrigger.api.model.tls.DataSourceConfig;
import io.outrigger.api.model.tls.DownstreamTlsConfig;
import io.outrigger.api.model.tls.SanMatcher;
import io.outrigger.api.model.tls.SecretConfig;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import io.outrigger.api.model.tls.ValidationConfig;
import io.outrigger.api.model.tls.ValidationContextPart;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretTranslatorTest {
  private static final String PATH = "l.filter_chains[0].transport_socket";
  private static final String COMMON = PATH + ".typed_config.common_tls_context";

  private static SdsSecretConfig.Builder overAds(String name) {
    return SdsSecretConfig.newBuilder()
        .setName(name)
        .setSdsConfig(
            ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()));
  }

  private static TransportSocket socket(com.google.protobuf.Message context) {
    return TransportSocket.newBuilder()
        .setName(TlsTranslator.TRANSPORT_SOCKET_NAME)
        .setTypedConfig(Any.pack(context))
        .build();
  }

  private static DownstreamTlsConfig downstream(CommonTlsContext.Builder common)
      throws ConfigException {
    return TlsTranslator.downstream(
        socket(DownstreamTlsContext.newBuilder().setCommonTlsContext(common).build()), PATH);
  }

  private static SubjectAltNameMatcher uri(String exact) {
    return SubjectAltNameMatcher.newBuilder()
        .setSanType(SubjectAltNameMatcher.SanType.URI)
        .setMatcher(StringMatcher.newBuilder().setExact(exact))
        .build();
  }

  @Test
  void readsACertificateOverAdsAndAStaticValidationSecret() throws Exception {
    DownstreamTlsConfig c =
        TlsTranslator.downstream(
            socket(
                DownstreamTlsContext.newBuilder()
                    .setCommonTlsContext(
                        CommonTlsContext.newBuilder()
                            .addTlsCertificateSdsSecretConfigs(overAds("default"))
                            .setValidationContextSdsSecretConfig(
                                SdsSecretConfig.newBuilder().setName("ROOTCA")))
                    .setRequireClientCertificate(BoolValue.of(true))
                    .build()),
            PATH);

    assertThat(c.common().certificates()).isEmpty();
    assertThat(c.common().certificateSds().orElseThrow().name()).isEqualTo("default");
    assertThat(c.common().certificateSds().orElseThrow().ads()).isTrue();
    assertThat(c.common().validationSds().orElseThrow().secret().name()).isEqualTo("ROOTCA");
    assertThat(c.common().validationSds().orElseThrow().secret().ads()).isFalse();
    assertThat(c.common().validationSds().orElseThrow().defaults())
        .isEqualTo(ValidationContextPart.EMPTY);
    assertThat(c.requireClientCertificate()).isTrue();
  }

  @Test
  void combinedValidationContextMergesAsEnvoySecretCaWinsMatchersAddUp() throws Exception {
    UpstreamTlsConfig c =
        TlsTranslator.upstream(
            socket(
                UpstreamTlsContext.newBuilder()
                    .setCommonTlsContext(
                        CommonTlsContext.newBuilder()
                            .addTlsCertificateSdsSecretConfigs(overAds("default"))
                            .setCombinedValidationContext(
                                CombinedCertificateValidationContext.newBuilder()
                                    .setDefaultValidationContext(
                                        CertificateValidationContext.newBuilder()
                                            .setTrustedCa(
                                                DataSource.newBuilder().setFilename("/old-ca.pem"))
                                            .addMatchTypedSubjectAltNames(
                                                uri("spiffe://mesh/ns/a/sa/x")))
                                    .setValidationContextSdsSecretConfig(overAds("ROOTCA"))))
                    .build()),
            "c.transport_socket");
    ValidationContextPart fromSecret =
        new ValidationContextPart(
            Optional.of(DataSourceConfig.inline("CA PEM")),
            List.of(new SanMatcher(SanMatcher.Kind.PREFIX, "spiffe://mesh/ns/b/")));

    ValidationConfig merged = c.common().validationSds().orElseThrow().defaults().merge(fromSecret);

    assertThat(merged.trustedCa()).isEqualTo(DataSourceConfig.inline("CA PEM"));
    assertThat(merged.uriSanMatchers())
        .containsExactly(
            new SanMatcher(SanMatcher.Kind.EXACT, "spiffe://mesh/ns/a/sa/x"),
            new SanMatcher(SanMatcher.Kind.PREFIX, "spiffe://mesh/ns/b/"));
    assertThat(
            c.common()
                .validationSds()
                .orElseThrow()
                .defaults()
                .merge(ValidationContextPart.EMPTY)
                .trustedCa())
        .isEqualTo(DataSourceConfig.file("/old-ca.pem"));
    assertThatThrownBy(() -> ValidationContextPart.EMPTY.merge(ValidationContextPart.EMPTY))
        .hasMessageContaining("no trusted_ca");
  }

  @Test
  void refusesEachUnsupportedShapeByItsField() {
    assertThatThrownBy(
            () ->
                downstream(
                    CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(overAds("a"))
                        .addTlsCertificateSdsSecretConfigs(overAds("b"))))
        .hasMessage(
            COMMON + ".tls_certificate_sds_secret_configs: 2 secrets (expected: exactly one)");
    assertThatThrownBy(
            () ->
                downstream(
                    CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder())))
        .hasMessage(COMMON + ".tls_certificate_sds_secret_configs[0].name: required");
    assertThatThrownBy(
            () ->
                downstream(
                    CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(
                            SdsSecretConfig.newBuilder()
                                .setName("a")
                                .setSdsConfig(ConfigSource.newBuilder().setPath("/etc/sds.yaml")))))
        .hasMessage(
            COMMON
                + ".tls_certificate_sds_secret_configs[0].sds_config.path: "
                + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(
            () ->
                downstream(
                    CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(overAds("a"))
                        .setCombinedValidationContext(
                            CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(
                                    CertificateValidationContext.newBuilder()
                                        .addMatchTypedSubjectAltNames(uri("spiffe://x"))))))
        .hasMessage(
            COMMON + ".combined_validation_context.validation_context_sds_secret_config: required");
    assertThatThrownBy(
            () ->
                downstream(
                    CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(overAds("a"))
                        .setCombinedValidationContext(
                            CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(
                                    CertificateValidationContext.newBuilder()
                                        .setOnlyVerifyLeafCertCrl(true))
                                .setValidationContextSdsSecretConfig(overAds("ca")))))
        .hasMessage(
            COMMON
                + ".combined_validation_context.default_validation_context"
                + ".only_verify_leaf_cert_crl: "
                + SupportedFieldsCheck.NOT_SUPPORTED);
  }

  @Test
  void translatesSecretsOfEitherKindAndRefusesTheOthers() throws Exception {
    SecretConfig cert =
        SecretTranslator.translate(
            Secret.newBuilder()
                .setName("default")
                .setTlsCertificate(
                    TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setInlineString("CERT"))
                        .setPrivateKey(DataSource.newBuilder().setInlineString("KEY")))
                .build(),
            "");
    SecretConfig ca =
        SecretTranslator.translate(
            Secret.newBuilder()
                .setName("ROOTCA")
                .setValidationContext(
                    CertificateValidationContext.newBuilder()
                        .setTrustedCa(DataSource.newBuilder().setFilename("/ca.pem")))
                .build(),
            "");

    assertThat(cert.tlsCertificate().orElseThrow().privateKey())
        .isEqualTo(DataSourceConfig.inline("KEY"));
    assertThat(cert.toString()).doesNotContain("KEY]");
    assertThat(ca.validationContext().orElseThrow().trustedCa())
        .contains(DataSourceConfig.file("/ca.pem"));
    assertThatThrownBy(
            () ->
                SecretTranslator.translate(
                    Secret.newBuilder()
                        .setName("g")
                        .setGenericSecret(GenericSecret.getDefaultInstance())
                        .build(),
                    "static_resources.secrets[0]"))
        .hasMessage(
            "static_resources.secrets[0].generic_secret: " + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(
            () ->
                SecretTranslator.translate(
                    Secret.newBuilder()
                        .setName("k")
                        .setTlsCertificate(
                            TlsCertificate.newBuilder()
                                .setCertificateChain(DataSource.newBuilder().setInlineString("C")))
                        .build(),
                    ""))
        .hasMessage("tls_certificate.private_key: required");
    assertThatThrownBy(() -> SecretTranslator.translate(Secret.getDefaultInstance(), ""))
        .hasMessage("name: required");
  }
}
