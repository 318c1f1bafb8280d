package io.outrigger.proxy.tcp;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import io.outrigger.proxy.testkit.TlsKit;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcp_proxy} to a cluster with an {@code UpstreamTlsContext}: the front sidecar originates
 * mTLS with its certificate, the back one terminates it and relays to an echo server, as two
 * sidecars carry an opaque protocol (etcd's Raft streams) between them. A handshake that fails is a
 * connect failure, and nothing reaches the upstream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyUpstreamTlsTest {
  @TempDir Path dir;
  private TlsKit kit;
  private TcpUpstream echo;
  private SidecarFixture back;

  @BeforeEach
  void setUp() throws Exception {
    kit = TlsKit.create("test.local", dir.resolve("mesh"));
    kit.issue("front");
    kit.issue("back");
    echo = TcpUpstream.start(TcpUpstream.ECHO);
    back = SidecarFixture.start(backSidecar(), Map.of());
  }

  @AfterEach
  void tearDown() throws IOException {
    back.close();
    echo.close();
  }

  /** A TLS listener that requires the front's identity, then tcp_proxy to the echo server. */
  private String backSidecar() {
    String chain =
        """
        - name: mtls
        %s
          filters:
          - name: envoy.filters.network.tcp_proxy
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
              stat_prefix: back_tcp
              cluster: service
        """
            .formatted(
                Bootstraps.indent(
                    kit.downstreamSocket(
                        "back",
                        "require_client_certificate: true",
                        """
                        validation_context:
                          trusted_ca: { filename: "%s" }
                          match_typed_subject_alt_names:
                          - san_type: URI
                            matcher: { prefix: "spiffe://test.local/front" }
                        """
                            .formatted(kit.caFile())),
                    2));
    return """
        node: { id: back, cluster: test }
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
        static_resources:
          listeners:
          - name: ingress
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
        %s
          clusters:
          - name: service
            connect_timeout: 1s
            load_assignment:
              cluster_name: service
              endpoints:
              - lb_endpoints:
        %s
        """
        .formatted(Bootstraps.indent(chain, 4), endpoint(echo.port()));
  }

  /**
   * A plaintext tcp_proxy listener whose cluster is the back sidecar, over mTLS accepting {@code
   * san}.
   */
  private SidecarFixture front(String san) throws Exception {
    String upstreamTls =
        """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
            sni: back.test.local
            common_tls_context:
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
                kit.folder("front").resolve("cert.pem"),
                kit.folder("front").resolve("key.pem"),
                kit.caFile(),
                san);
    return SidecarFixture.start(
        tcpProxy("", upstreamTls, endpoint(back.listener("ingress").getPort())), Map.of());
  }

  private static Socket connect(InetSocketAddress a) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", a.getPort()), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void originatesMutualTlsToTheClusterAndRelaysBothWays() throws Exception {
    try (SidecarFixture front = front("spiffe://test.local/back");
        Socket s = connect(front.listener("ingress"))) {
      byte[] hello = "hello over mtls\n".getBytes(StandardCharsets.US_ASCII);
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
      assertThat(s.getInputStream().readNBytes(hello.length)).isEqualTo(hello);

      assertThat(front.metric("envoy_cluster_ssl_handshake{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1);
      assertThat(front.metric("envoy_cluster_upstream_cx_active{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1);
      assertThat(back.listenerMetric("ssl_handshake", "ingress")).isEqualTo(1);
      assertThat(echo.bytesRead()).isEqualTo(hello.length);
    }
  }

  @Test
  void aHandshakeThatFailsIsAConnectFailureAndSendsNothingUpstream() throws Exception {
    try (SidecarFixture wary = front("spiffe://test.local/elsewhere");
        Socket s = connect(wary.listener("ingress"))) {
      s.getOutputStream().write("never relayed\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      int first;
      try {
        first = in.read();
      } catch (IOException reset) {
        first = -1;
      }
      assertThat(first).as("the downstream is closed without an answer").isEqualTo(-1);

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(
                        wary.metric(
                            "envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=\"service\"}"))
                    .isEqualTo(1);
                assertThat(
                        wary.metric(
                            "envoy_cluster_ssl_fail_verify_san{envoy_cluster_name=\"service\"}"))
                    .isEqualTo(1);
                assertThat(
                        wary.metric(
                            "envoy_cluster_upstream_cx_active{envoy_cluster_name=\"service\"}"))
                    .isZero();
              });
      assertThat(echo.bytesRead()).isZero();
    }
  }
}
