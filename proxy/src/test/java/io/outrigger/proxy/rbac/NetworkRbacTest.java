package io.outrigger.proxy.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import io.outrigger.proxy.testkit.TlsKit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code envoy.filters.network.rbac} in front of a {@code tcp_proxy} on real sockets: over mTLS it
 * decides after the handshake with the verified client certificate (a denied principal's connection
 * is closed and counted, an allowed one proxies); on plaintext it decides at accept on the source
 * address.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkRbacTest {
  private static final String COUNTER = "{envoy_rbac_prefix=\"kv_tcp\"}";

  @TempDir Path dir;
  private TcpUpstream upstream;
  private SidecarFixture sidecar;

  private static String bootstrap(String transportSocket, String rules) {
    return """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
        static_resources:
          listeners:
          - name: kv_in
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
            - %s
              filters:
              - name: outrigger.filters.network.partition
                typed_config:
                  "@type": type.googleapis.com/xds.type.v3.TypedStruct
                  type_url: type.googleapis.com/outrigger.filters.network.partition.v1.Partition
                  value: { peer: kv, rules: [] }
              - name: envoy.filters.network.rbac
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                  stat_prefix: kv_tcp
                  rules:
        %s
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: kv_tcp
                  cluster: kv
          clusters:
          - name: kv
            connect_timeout: 1s
            load_assignment:
              cluster_name: kv
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: 127.0.0.1, port_value: "${PORT}" }
        """
        .formatted(transportSocket.strip().replace("\n", "\n      "), Bootstraps.indent(rules, 12));
  }

  private void start(String transportSocket, String rules) throws Exception {
    upstream = TcpUpstream.start(TcpUpstream.ECHO);
    sidecar =
        SidecarFixture.start(
            bootstrap(transportSocket, rules), Map.of("PORT", String.valueOf(upstream.port())));
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private int port() {
    return sidecar.listener("kv_in").getPort();
  }

  private static String echo(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
  }

  @Test
  void overMutualTlsTheVerifiedPrincipalDecides() throws Exception {
    TlsKit kit = TlsKit.create("outrigger.local", dir.resolve("mesh"));
    kit.issue("kv");
    WorkloadCertificate frontend = kit.issue("ns/default/sa/frontend");
    WorkloadCertificate reporting = kit.issue("ns/default/sa/reporting");
    String socket =
        kit.downstreamSocket(
            "kv",
            "require_client_certificate: true",
            "validation_context: { trusted_ca: { filename: \"%s\" } }".formatted(kit.caFile()));
    start(
        "name: mtls\n" + socket.strip(),
        """
        action: ALLOW
        policies:
          frontend:
            permissions: [ { any: true } ]
            principals:
            - authenticated: { principal_name: { exact: "spiffe://outrigger.local/ns/default/sa/frontend" } }
        """);

    try (SSLSocket allowed =
        (SSLSocket)
            kit.clientContext(frontend).getSocketFactory().createSocket("127.0.0.1", port())) {
      allowed.setSoTimeout(5000);
      // Bytes sent with the handshake's end wait for the decision and are not lost.
      assertThat(echo(allowed, "hello")).isEqualTo("hello");
      assertThat(echo(allowed, "again")).isEqualTo("again");
    }
    try (SSLSocket denied =
        (SSLSocket)
            kit.clientContext(reporting).getSocketFactory().createSocket("127.0.0.1", port())) {
      denied.setSoTimeout(5000);
      denied.startHandshake();
      assertClosed(denied);
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(sidecar.metric("envoy_rbac_allowed" + COUNTER)).isEqualTo(1);
              assertThat(sidecar.metric("envoy_rbac_denied" + COUNTER)).isEqualTo(1);
            });
    assertThat(upstream.accepted()).isEqualTo(1);
  }

  /** The peer closed: a read ends the stream, or the close surfaces as an error on TLS. */
  private static void assertClosed(Socket s) {
    assertThatThrownBy(
            () -> {
              s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
              s.getOutputStream().flush();
              if (s.getInputStream().read() < 0) {
                throw new IOException("closed");
              }
            })
        .isInstanceOf(IOException.class);
  }

  @Test
  void onPlaintextTheSourceAddressDecidesAtAccept() throws Exception {
    start(
        "name: plain",
        """
        action: DENY
        policies:
          loopback:
            permissions: [ { destination_port_range: { start: 1, end: 65536 } } ]
            principals:
            - direct_remote_ip: { address_prefix: 127.0.0.0, prefix_len: 8 }
        """);

    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
      s.setSoTimeout(5000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }

    assertThat(sidecar.metric("envoy_rbac_denied" + COUNTER)).isEqualTo(1);
    assertThat(upstream.accepted()).isZero();
  }

  @Test
  void onPlaintextAnAllowedSourceProxies() throws Exception {
    start(
        "name: plain",
        """
        action: ALLOW
        policies:
          loopback:
            permissions: [ { any: true } ]
            principals:
            - remote_ip: { address_prefix: 127.0.0.1, prefix_len: 32 }
        """);

    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
      s.setSoTimeout(5000);
      assertThat(echo(s, "hello")).isEqualTo("hello");
    }

    assertThat(sidecar.metric("envoy_rbac_allowed" + COUNTER)).isEqualTo(1);
  }
}
