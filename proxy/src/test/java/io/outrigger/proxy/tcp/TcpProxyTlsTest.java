package io.outrigger.proxy.tcp;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TlsKit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * tcp_proxy to a cluster with a TLS {@code transport_socket}: the upstream connection is TLS with
 * the cluster's client certificate, a protocol whose server speaks first passes (the relay starts
 * once the handshake is done, not at the client's first byte), and a handshake the cluster's
 * validation refuses is a connect failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyTlsTest {
  @TempDir Path dir;
  private TlsKit kit;
  private WorkloadCertificate server;
  private SSLServerSocket upstream;
  private final CompletableFuture<String> upstreamPeer = new CompletableFuture<>();

  @BeforeEach
  void setUp() throws Exception {
    kit = TlsKit.create("test.local", dir.resolve("mesh"));
    kit.issue("front");
    server = kit.issue("back");
  }

  @AfterEach
  void tearDown() throws IOException {
    if (upstream != null) {
      upstream.close();
    }
  }

  /**
   * A JDK TLS server that requires a client certificate, greets first ({@code hello}), then answers
   * the client's line with {@code got LINE} and closes; it records the client's identity.
   */
  private int startServerFirstUpstream(WorkloadCertificate presented) throws Exception {
    upstream =
        (SSLServerSocket)
            kit.clientContext(presented)
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    upstream.setNeedClientAuth(true);
    Thread t =
        new Thread(
            () -> {
              try (SSLSocket s = (SSLSocket) upstream.accept()) {
                s.startHandshake();
                upstreamPeer.complete(
                    s.getSession()
                            .getPeerCertificates()[0]
                            .toString()
                            .contains("spiffe://test.local/front")
                        ? "front"
                        : "other");
                OutputStream out = s.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line =
                    new BufferedReader(
                            new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                out.write(("got " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
              } catch (IOException e) {
                upstreamPeer.complete("failed: " + e);
              }
            },
            "tls-upstream");
    t.setDaemon(true);
    t.start();
    return upstream.getLocalPort();
  }

  private String upstreamTls() {
    return """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
            common_tls_context:
              tls_certificates:
              - certificate_chain: { filename: "%s" }
                private_key: { filename: "%s" }
              validation_context:
                trusted_ca: { filename: "%s" }
                match_typed_subject_alt_names:
                - san_type: URI
                  matcher: { exact: "spiffe://test.local/back" }
        """
        .formatted(
            kit.folder("front").resolve("cert.pem"),
            kit.folder("front").resolve("key.pem"),
            kit.caFile());
  }

  private static Socket connect(InetSocketAddress a) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", a.getPort()), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void serverFirstProtocolCrossesTheClustersTlsWithItsClientCertificate() throws Exception {
    int port = startServerFirstUpstream(server);
    try (SidecarFixture proxy =
            SidecarFixture.start(tcpProxy("", upstreamTls(), endpoint(port)), Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      // Nothing sent yet: the greeting must come on its own.
      assertThat(in.readLine()).isEqualTo("hello");
      s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("got ping");
      assertThat(upstreamPeer.get(5, TimeUnit.SECONDS)).isEqualTo("front");
      assertThat(proxy.metric("envoy_cluster_ssl_handshake{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1.0);
    }
  }

  @Test
  void handshakeTheClusterRefusesIsAConnectFailure() throws Exception {
    // The upstream presents "front", which the cluster's SAN matcher does not accept.
    int port = startServerFirstUpstream(kit.issue("front"));
    try (SidecarFixture proxy =
            SidecarFixture.start(tcpProxy("", upstreamTls(), endpoint(port)), Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(
                        proxy.metric(
                            "envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=\"service\"}"))
                    .isEqualTo(1.0);
                assertThat(
                        proxy.metric(
                            "envoy_cluster_upstream_cx_destroy{envoy_cluster_name=\"service\"}"))
                    .isZero();
              });
    }
  }
}
