package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.outrigger.api.model.tls.CipherSuite;
import io.outrigger.api.model.tls.DataSourceConfig;
import io.outrigger.api.model.tls.DownstreamTlsConfig;
import io.outrigger.api.model.tls.SanMatcher;
import io.outrigger.api.model.tls.TlsParamsConfig;
import io.outrigger.api.model.tls.TlsVersion;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsTranslatorTest {
  private static final String PATH = "l.filter_chains[0].transport_socket";
  private static final String AT = PATH + ".typed_config";

  private static TlsCertificate cert() {
    return TlsCertificate.newBuilder()
        .setCertificateChain(DataSource.newBuilder().setFilename("/certs/cert.pem"))
        .setPrivateKey(DataSource.newBuilder().setInlineString("-----BEGIN PRIVATE KEY-----"))
        .build();
  }

  private static TransportSocket socket(com.google.protobuf.Message context) {
    return TransportSocket.newBuilder()
        .setName(TlsTranslator.TRANSPORT_SOCKET_NAME)
        .setTypedConfig(Any.pack(context))
        .build();
  }

  private static DownstreamTlsContext.Builder downstream(CommonTlsContext.Builder common) {
    return DownstreamTlsContext.newBuilder().setCommonTlsContext(common.addTlsCertificates(cert()));
  }

  @Test
  void fillsEnvoysDefaultsTls12To13AeadSuitesNoAlpnNoClientCertificate() throws Exception {
    DownstreamTlsConfig c =
        TlsTranslator.downstream(socket(downstream(CommonTlsContext.newBuilder()).build()), PATH);

    assertThat(c.common().params()).isEqualTo(TlsParamsConfig.DEFAULT);
    assertThat(c.common().params().protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(c.common().alpnProtocols()).isEmpty();
    assertThat(c.common().validation()).isEmpty();
    assertThat(c.requireClientCertificate()).isFalse();
    assertThat(c.common().certificate().orElseThrow().certificateChain())
        .isEqualTo(DataSourceConfig.file("/certs/cert.pem"));
    assertThat(c.common().certificate().orElseThrow().privateKey().toString())
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void readsParamsAlpnAndUriSanMatchers() throws Exception {
    CommonTlsContext.Builder common =
        CommonTlsContext.newBuilder()
            .setTlsParams(
                TlsParameters.newBuilder()
                    .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3)
                    .addCipherSuites("ECDHE-RSA-AES128-GCM-SHA256"))
            .addAlpnProtocols("h2")
            .addAlpnProtocols("http/1.1")
            .setValidationContext(
                CertificateValidationContext.newBuilder()
                    .setTrustedCa(DataSource.newBuilder().setFilename("/certs/ca.pem"))
                    .addMatchTypedSubjectAltNames(
                        uri(StringMatcher.newBuilder().setExact("spiffe://d/a")))
                    .addMatchTypedSubjectAltNames(
                        uri(StringMatcher.newBuilder().setPrefix("spiffe://d/ns/"))));
    DownstreamTlsConfig c =
        TlsTranslator.downstream(
            socket(downstream(common).setRequireClientCertificate(BoolValue.of(true)).build()),
            PATH);

    assertThat(c.common().params().minimumVersion()).isEqualTo(TlsVersion.TLS_1_3);
    assertThat(c.common().params().cipherSuites())
        .containsExactly(CipherSuite.ECDHE_RSA_AES128_GCM_SHA256);
    assertThat(c.common().alpnProtocols()).containsExactly("h2", "http/1.1");
    assertThat(c.requireClientCertificate()).isTrue();
    assertThat(c.common().validation().orElseThrow().uriSanMatchers())
        .containsExactly(
            new SanMatcher(SanMatcher.Kind.EXACT, "spiffe://d/a"),
            new SanMatcher(SanMatcher.Kind.PREFIX, "spiffe://d/ns/"));
    assertThat(c.common().validation().orElseThrow().sanAccepted(List.of("spiffe://d/ns/x")))
        .isTrue();
    assertThat(c.common().validation().orElseThrow().sanAccepted(List.of("spiffe://d/b")))
        .isFalse();
  }

  @Test
  void refusesOldProtocolsNonAeadSuitesAndOtherSanMatchersByName() {
    assertThatThrownBy(
            () ->
                TlsTranslator.downstream(
                    socket(
                        downstream(
                                CommonTlsContext.newBuilder()
                                    .setTlsParams(
                                        TlsParameters.newBuilder()
                                            .setTlsMinimumProtocolVersion(
                                                TlsParameters.TlsProtocol.TLSv1_0)))
                            .build()),
                    PATH))
        .hasMessageStartingWith(
            AT
                + ".common_tls_context.tls_params.tls_minimum_protocol_version: TLSv1_0 not supported");
    assertThatThrownBy(
            () ->
                TlsTranslator.downstream(
                    socket(
                        downstream(
                                CommonTlsContext.newBuilder()
                                    .setTlsParams(
                                        TlsParameters.newBuilder().addCipherSuites("AES128-SHA")))
                            .build()),
                    PATH))
        .hasMessageStartingWith(
            AT + ".common_tls_context.tls_params.cipher_suites[0]: \"AES128-SHA\" not supported");
    assertThatThrownBy(
            () ->
                TlsTranslator.downstream(
                    socket(
                        downstream(
                                CommonTlsContext.newBuilder()
                                    .setValidationContext(
                                        CertificateValidationContext.newBuilder()
                                            .setTrustedCa(DataSource.newBuilder().setFilename("ca"))
                                            .addMatchTypedSubjectAltNames(
                                                uri(StringMatcher.newBuilder().setSuffix("x")))))
                            .build()),
                    PATH))
        .hasMessage(
            AT
                + ".common_tls_context.validation_context.match_typed_subject_alt_names[0].matcher"
                + ".suffix: not supported for SAN matching (expected: exact or prefix)");
  }

  @Test
  void refusesClientCertificateWithoutCaAndAListenerWithoutCertificate() {
    assertThatThrownBy(
            () ->
                TlsTranslator.downstream(
                    socket(
                        downstream(CommonTlsContext.newBuilder())
                            .setRequireClientCertificate(BoolValue.of(true))
                            .build()),
                    PATH))
        .hasMessageStartingWith(AT + ".require_client_certificate: true without");
    assertThatThrownBy(
            () ->
                TlsTranslator.downstream(
                    socket(
                        DownstreamTlsContext.newBuilder()
                            .setCommonTlsContext(
                                CommonTlsContext.newBuilder().addAlpnProtocols("h2"))
                            .build()),
                    PATH))
        .hasMessageStartingWith(AT + ".common_tls_context: no tls_certificates");
  }

  @Test
  void upstreamContextTakesSniAndNeedsNoCertificate() throws Exception {
    UpstreamTlsConfig c =
        TlsTranslator.upstream(
            socket(
                UpstreamTlsContext.newBuilder()
                    .setSni("back.local")
                    .setCommonTlsContext(CommonTlsContext.newBuilder().addAlpnProtocols("h2"))
                    .build()),
            "c.transport_socket");
    assertThat(c.sni()).isEqualTo("back.local");
    assertThat(c.common().certificates()).isEmpty();
    assertThat(c.common().alpnProtocols()).containsExactly("h2");
    assertThatThrownBy(
            () ->
                TlsTranslator.upstream(
                    socket(DownstreamTlsContext.getDefaultInstance()), "c.transport_socket"))
        .hasMessageContaining("expected: UpstreamTlsContext");
  }

  private static SubjectAltNameMatcher uri(StringMatcher.Builder m) {
    return SubjectAltNameMatcher.newBuilder()
        .setSanType(SubjectAltNameMatcher.SanType.URI)
        .setMatcher(m)
        .build();
  }
}
