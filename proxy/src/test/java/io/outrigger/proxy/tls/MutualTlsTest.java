package io.outrigger.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TlsBootstraps;
import io.outrigger.proxy.testkit.TlsKit;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sidecars talk mTLS with certificates from the mesh CA: the front one originates TLS with its
 * client certificate (HTTP/2 over ALPN), the back one requires and verifies it, passes the identity
 * upstream in {@code x-forwarded-client-cert}, and refuses clients without a certificate, with one
 * from another CA, or with an identity its SAN matcher does not accept, counting each reason.
 */
class MutualTlsTest {
  private static final HttpClient PLAIN = HttpClient.newHttpClient();

  @TempDir Path dir;
  private HttpUpstream upstream;
  private TlsKit kit;
  private WorkloadCertificate front;
  private SidecarFixture back;
  private SidecarFixture frontSidecar;

  @BeforeEach
  void setUp() throws Exception {
    upstream = new HttpUpstream("up");
    kit = TlsKit.create("test.local", dir.resolve("mesh"));
    front = kit.issue("front");
    kit.issue("back");
    String backChain =
        TlsBootstraps.httpChain(
            "mtls",
            kit.downstreamSocket(
                "back",
                "require_client_certificate: true",
                """
                alpn_protocols: [h2, http/1.1]
                validation_context:
                  trusted_ca: { filename: "%s" }
                  match_typed_subject_alt_names:
                  - san_type: URI
                    matcher: { prefix: "spiffe://test.local/front" }
                """
                    .formatted(kit.caFile())),
            """
            forward_client_cert_details: SANITIZE_SET
            set_current_client_cert_details: { subject: true, uri: true }
            access_log:
            - name: envoy.access_loggers.file
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                path: "%s"
                log_format:
                  text_format_source: { inline_string: "peer=%%DOWNSTREAM_PEER_URI_SAN%%\\n" }
            """
                .formatted(dir.resolve("access.log")));
    back = SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", backChain), Map.of());
    frontSidecar = startFront("alpn_protocols: [h2]");
  }

  /** The front sidecar: plaintext in, mTLS to the back sidecar with {@code alpn} (may be empty). */
  private SidecarFixture startFront(String alpn) throws Exception {
    return startFront(alpn, "spiffe://test.local/back");
  }

  /** The same, accepting only the server identity {@code san}. */
  private SidecarFixture startFront(String alpn, String san) throws Exception {
    String upstreamTls =
        """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
            sni: back.test.local
            common_tls_context:
              %s
              tls_certificates:
              - certificate_chain: { filename: "%s" }
                private_key: { filename: "%s" }
              validation_context:
                trusted_ca: { filename: "%s" }
                match_typed_subject_alt_names:
                - san_type: URI
                  matcher: { exact: "%s" }
        """
            .formatted(
                alpn,
                kit.folder("front").resolve("cert.pem"),
                kit.folder("front").resolve("key.pem"),
                kit.caFile(),
                san);
    return SidecarFixture.start(
        TlsBootstraps.sidecar(
            back.listener("ingress").getPort(),
            upstreamTls,
            TlsBootstraps.httpChain("plain", "", "")),
        Map.of());
  }

  @AfterEach
  void tearDown() {
    frontSidecar.close();
    back.close();
    upstream.close();
  }

  @Test
  void sidecarsTalkMutualTlsAndTheUpstreamLearnsTheClientIdentity() throws Exception {
    HttpResponse<String> r =
        PLAIN.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + frontSidecar.listener("ingress").getPort() + "/x"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello from up");
    assertThat(r.headers().firstValue("x-chain")).hasValue("mtls");
    HttpUpstream.Seen seen = upstream.seen().get(upstream.seen().size() - 1);
    assertThat(seen.header("x-forwarded-client-cert"))
        .isEqualTo(
            "By=spiffe://test.local/back;Hash="
                + PeerIdentity.of(front.certificate(), null).hash()
                + ";Subject=\"O=test.local\";URI=spiffe://test.local/front");
    assertThat(frontSidecar.metric("envoy_cluster_ssl_handshake{envoy_cluster_name=\"service\"}"))
        .isEqualTo(1);
    assertThat(back.listenerMetric("ssl_handshake", "ingress")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Files.readString(dir.resolve("access.log")))
                    .isEqualTo("peer=spiffe://test.local/front\n"));
  }

  @Test
  void http11UpstreamOverMutualTlsWithoutAlpn() throws Exception {
    try (SidecarFixture http1Front = startFront("")) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r =
            PLAIN.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + http1Front.listener("ingress").getPort() + "/1"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from up");
      }
      // Keep-alive: one upstream TLS connection carried the three requests.
      assertThat(http1Front.metric("envoy_cluster_ssl_handshake{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1);
      assertThat(
              http1Front.metric(
                  "envoy_cluster_upstream_cx_http1_total{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1);
    }
  }

  @Test
  void anUpstreamHandshakeThatFailsIsAConnectionFailureNotAReset() throws Exception {
    try (SidecarFixture wary = startFront("", "spiffe://test.local/elsewhere")) {
      HttpResponse<String> r =
          PLAIN.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + wary.listener("ingress").getPort() + "/1"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      // Envoy's answer to a connection that could not be established (flag UF).
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("reset reason: connection failure");
      assertThat(
              wary.metric("envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1);
      assertThat(wary.metric("envoy_cluster_ssl_fail_verify_san{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1);
      assertThat(upstream.seen()).isEmpty();
    }
  }

  @Test
  void refusesClientsWithoutCertificateFromAnotherCaOrWithAnUnacceptedIdentity() throws Exception {
    TlsKit otherCa = TlsKit.create("test.local", dir.resolve("other"));
    WorkloadCertificate stranger = otherCa.issue("front");
    WorkloadCertificate intruder = kit.issue("intruder");

    assertRefused(kit.clientContext(null));
    assertRefused(kit.clientContext(stranger));
    assertRefused(kit.clientContext(intruder));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(back.listenerMetric("ssl_fail_verify_no_cert", "ingress")).isEqualTo(1);
              assertThat(back.listenerMetric("ssl_fail_verify_error", "ingress")).isEqualTo(1);
              assertThat(back.listenerMetric("ssl_fail_verify_san", "ingress")).isEqualTo(1);
              assertThat(back.listenerMetric("ssl_connection_error", "ingress")).isEqualTo(3);
            });
    assertThat(upstream.seen()).isEmpty();
  }

  /** The handshake, or with TLS 1.3 the first read after it, fails: no response ever comes. */
  private void assertRefused(SSLContext client) {
    assertThatThrownBy(
            () -> {
              try (SSLSocket s =
                  (SSLSocket)
                      client
                          .getSocketFactory()
                          .createSocket("127.0.0.1", back.listener("ingress").getPort())) {
                s.setSoTimeout(5000);
                s.startHandshake();
                s.getOutputStream()
                    .write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                if (in.read() < 0) {
                  throw new IOException("closed without a response");
                }
              }
            })
        .isInstanceOf(IOException.class);
  }
}
