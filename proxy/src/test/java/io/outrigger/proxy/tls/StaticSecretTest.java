package io.outrigger.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TlsBootstraps;
import io.outrigger.proxy.testkit.TlsKit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets of the bootstrap ({@code static_resources.secrets}) named by a listener's TLS context
 * with an {@code SdsSecretConfig} without {@code sds_config}, as Envoy finds static secrets.
 */
class StaticSecretTest {
  @TempDir Path dir;
  private HttpUpstream upstream;
  private TlsKit kit;
  private WorkloadCertificate server;

  @BeforeEach
  void setUp() throws Exception {
    upstream = new HttpUpstream("up");
    kit = TlsKit.create("test.local", dir);
    server = kit.issue("ingress");
  }

  @AfterEach
  void tearDown() {
    upstream.close();
  }

  /** The certificate by files, the CA inline; the listener requires client certificates. */
  private String bootstrap() {
    return bootstrap("server");
  }

  private String bootstrap(String certificateSecret) {
    String socket =
        """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
            require_client_certificate: true
            common_tls_context:
              tls_certificate_sds_secret_configs:
              - name: %s
              validation_context_sds_secret_config:
                name: mesh-ca
        """
            .formatted(certificateSecret);
    String secrets =
        """
        secrets:
        - name: server
          tls_certificate:
            certificate_chain: { filename: "%s" }
            private_key:
              inline_string: |
        %s
        - name: mesh-ca
          validation_context:
            trusted_ca: { filename: "%s" }
        """
            .formatted(
                kit.folder("ingress").resolve("cert.pem"),
                Bootstraps.indent(server.privateKeyPem(), 8),
                kit.caFile());
    return TlsBootstraps.sidecar(upstream.port(), "", TlsBootstraps.httpChain("tls", socket, ""))
        + Bootstraps.indent(secrets, 2);
  }

  private HttpResponse<String> get(int port, WorkloadCertificate client) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(kit.clientContext(client))
        .connectTimeout(Duration.ofSeconds(5))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/hello"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStaticSecretTerminatesTlsAndAnotherVerifiesClients() throws Exception {
    WorkloadCertificate client = kit.issue("client");
    try (SidecarFixture sidecar = SidecarFixture.start(bootstrap(), Map.of())) {
      int port = sidecar.listener("ingress").getPort();

      HttpResponse<String> r = get(port, client);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello from up");
      assertThat(r.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(server.certificate());
      assertThatThrownBy(() -> get(port, null)).isInstanceOf(IOException.class);
      assertThat(sidecar.metric("envoy_ssl_certificate_expiry_days{certificate=\"static:server\"}"))
          .isGreaterThan(0.9);
    }
  }

  @Test
  void configDumpRedactsTheInlinePrivateKey() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(bootstrap(), Map.of())) {
      String dump = sidecar.admin("GET", "/config_dump").body();

      assertThat(dump).doesNotContain("PRIVATE KEY");
      assertThat(dump).contains("envoy.admin.v3.SecretsConfigDump").contains("\"mesh-ca\"");
      // "[redacted]" as bytes, base64 in JSON, as Envoy shows it.
      assertThat(dump).contains("W3JlZGFjdGVkXQ==");
    }
  }

  @Test
  void refusesAListenerNamingAStaticSecretThatDoesNotExist() {
    String yaml = bootstrap("absent");

    assertThatThrownBy(() -> SidecarFixture.start(yaml, Map.of()))
        .hasMessageContaining("unknown static secret \"absent\"");
  }
}
