package io.outrigger.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code outrigger.filters.network.partition} in front of a {@code tcp_proxy} on real sockets: each
 * action as a client of the listener sees it, and the upstream never reached when blocked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionNetworkFilterTest {
  private static String bootstrap(String rule) {
    return """
        static_resources:
          listeners:
          - name: to_n2
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
            - filters:
              - name: outrigger.filters.network.partition
                typed_config:
                  "@type": type.googleapis.com/xds.type.v3.TypedStruct
                  type_url: type.googleapis.com/outrigger.filters.network.partition.v1.Partition
                  value:
                    peer: n2
                    rules: [ %s ]
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: to_n2
                  cluster: n2
          clusters:
          - name: n2
            connect_timeout: 1s
            load_assignment:
              cluster_name: n2
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: 127.0.0.1, port_value: "${PORT}" }
        """
        .formatted(rule);
  }

  private TcpUpstream upstream;
  private SidecarFixture sidecar;

  private Socket start(String rule) throws Exception {
    upstream = TcpUpstream.start(TcpUpstream.ECHO);
    sidecar =
        SidecarFixture.start(bootstrap(rule), Map.of("PORT", String.valueOf(upstream.port())));
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", sidecar.listener("to_n2").getPort()), 5000);
    s.setSoTimeout(5000);
    return s;
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

  private static String echo(Socket s, String text) throws Exception {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    byte[] buf = s.getInputStream().readNBytes(text.length());
    return new String(buf, StandardCharsets.US_ASCII);
  }

  @Test
  void connectionsPassWithoutARuleForThePeer() throws Exception {
    try (Socket s = start("{ peer: n3, action: drop }")) {
      assertThat(echo(s, "hello")).isEqualTo("hello");
    }
  }

  @Test
  void dropAcceptsAndNeverProceeds() throws Exception {
    try (Socket s = start("{ peer: n2, action: drop }")) {
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(500);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(upstream.accepted()).isZero();
  }

  @Test
  void refuseClosesAtOnce() throws Exception {
    try (Socket s = start("{ peer: N2, action: refuse }")) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(upstream.accepted()).isZero();
  }

  @Test
  void resetSendsAnRst() throws Exception {
    try (Socket s = start("{ peer: n2, action: reset }")) {
      InputStream in = s.getInputStream();
      assertThatThrownBy(
              () -> {
                // The RST may arrive before or after a write; either way the socket reports it.
                s.getOutputStream().write(1);
                in.read();
                s.getOutputStream().write(1);
                in.read();
              })
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    assertThat(upstream.accepted()).isZero();
  }

  @Test
  void delayProceedsAfterTheDelay() throws Exception {
    long start = System.nanoTime();
    try (Socket s = start("{ peer: n2, action: delay, delay: 300ms }")) {
      assertThat(echo(s, "hello")).isEqualTo("hello");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.accepted() == 1);
  }
}
