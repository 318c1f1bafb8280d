package io.outrigger.proxy.tcp;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.testkit.Patterns;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tcp_proxy on real loopback sockets: integrity, backpressure, half-close, failures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyTest {

  private static Socket connect(InetSocketAddress a) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", a.getPort()), 5_000);
    s.setSoTimeout(20_000);
    return s;
  }

  /** A loopback port nothing listens on (bound, read, released). */
  private static int closedPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  @Test
  void echoesSixteenMebibytesIntactBothWays() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(tcpProxy("", "", endpoint(upstream.port())), Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      byte[] data = new byte[16 * 1024 * 1024];
      new Random(42).nextBytes(data);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  OutputStream out = s.getOutputStream();
                  for (int off = 0; off < data.length; off += 100_000) {
                    out.write(data, off, Math.min(100_000, data.length - off));
                  }
                  s.shutdownOutput();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      MessageDigest back = MessageDigest.getInstance("SHA-256");
      long received = 0;
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) >= 0) {
        back.update(buf, 0, n);
        received += n;
      }
      writer.join();
      assertThat(received)
          .as("upstream read %d wrote %d", upstream.bytesRead(), upstream.bytesWritten())
          .isEqualTo(data.length);
      assertThat(back.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(proxy.listenerMetric("downstream_cx_rx_bytes_total", "ingress"))
                    .isEqualTo(data.length);
                assertThat(proxy.listenerMetric("downstream_cx_tx_bytes_total", "ingress"))
                    .isEqualTo(data.length);
                assertThat(
                        proxy.metric(
                            "envoy_cluster_upstream_cx_tx_bytes_total{envoy_cluster_name=\"service\"}"))
                    .isEqualTo(data.length);
              });
    }
  }

  @Test
  void slowReaderStopsTheUpstreamWithBoundedBuffering() throws Exception {
    long total = 256L * 1024 * 1024;
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.source(total));
        SidecarFixture proxy =
            SidecarFixture.start(tcpProxy("", "", endpoint(upstream.port())), Map.of());
        Socket s = new Socket()) {
      s.setReceiveBufferSize(64 * 1024);
      s.connect(new InetSocketAddress("127.0.0.1", proxy.listener("ingress").getPort()));
      s.setSoTimeout(30_000);
      // Read nothing: the upstream must stall after kernel buffers plus the proxy's 64 KiB limit.
      await().atMost(Duration.ofSeconds(10)).until(() -> upstream.bytesWritten() > 0);
      long[] last = {-1};
      await()
          .pollInterval(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                long now = upstream.bytesWritten();
                boolean stable = now == last[0];
                last[0] = now;
                return stable;
              });
      // Socket buffers on loopback can hold several MiB; what matters is that the rest of the
      // 256 MiB is not pulled into the proxy's heap.
      assertThat(upstream.bytesWritten()).isLessThan(32L * 1024 * 1024);
      assertThat(Patterns.verify(s.getInputStream())).isEqualTo(total);
    }
  }

  @Test
  void halfCloseIsPassedOnAndTheAnswerStillArrives() throws Exception {
    TcpUpstream.Behaviour answerAfterEof =
        (sock, u) -> {
          byte[] all = sock.getInputStream().readAllBytes(); // returns at the client's FIN
          sock.getOutputStream().write(("got " + all.length).getBytes());
          sock.shutdownOutput();
        };
    try (TcpUpstream upstream = TcpUpstream.start(answerAfterEof);
        SidecarFixture proxy =
            SidecarFixture.start(tcpProxy("", "", endpoint(upstream.port())), Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      s.getOutputStream().write(new byte[1000]);
      s.shutdownOutput();
      assertThat(new String(s.getInputStream().readAllBytes())).isEqualTo("got 1000");
    }
  }

  @Test
  void refusedUpstreamClosesTheDownstreamPromptlyAndIsCounted() throws Exception {
    int closedPort = closedPort();
    try (SidecarFixture proxy =
            SidecarFixture.start(tcpProxy("", "", endpoint(closedPort)), Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(
                          proxy.metric(
                              "envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=\"service\"}"))
                      .isEqualTo(1.0));
    }
  }

  @Test
  void resetUpstreamClosesTheDownstream() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.RESET);
        SidecarFixture proxy =
            SidecarFixture.start(tcpProxy("", "", endpoint(upstream.port())), Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      int read;
      try {
        read = s.getInputStream().read();
      } catch (IOException e) {
        read = -1; // a reset passed on as a reset is as good as a close
      }
      assertThat(read).isEqualTo(-1);
      assertThat(upstream.accepted()).isEqualTo(1);
    }
  }

  @Test
  void nextAttemptGoesToTheNextHostWhenTheFirstRefuses() throws Exception {
    int closedPort = closedPort();
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(
                tcpProxy(
                    "max_connect_attempts: 2", "", endpoint(closedPort), endpoint(upstream.port())),
                Map.of())) {
      for (int i = 0; i < 4; i++) {
        try (Socket s = connect(proxy.listener("ingress"))) {
          s.getOutputStream().write("ping".getBytes());
          assertThat(new String(s.getInputStream().readNBytes(4))).isEqualTo("ping");
        }
      }
    }
  }

  @Test
  void roundRobinSpreadsConnectionsOverHosts() throws Exception {
    try (TcpUpstream a = TcpUpstream.start(TcpUpstream.ECHO);
        TcpUpstream b = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(
                tcpProxy("", "", endpoint(a.port()), endpoint(b.port())), Map.of())) {
      for (int i = 0; i < 10; i++) {
        try (Socket s = connect(proxy.listener("ingress"))) {
          s.getOutputStream().write(1);
          assertThat(s.getInputStream().read()).isEqualTo(1);
        }
      }
      assertThat(a.accepted()).isEqualTo(5);
      assertThat(b.accepted()).isEqualTo(5);
    }
  }

  @Test
  void aConnectionOverMaxConnectionsIsClosedAtOnceAndCounted() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(
                tcpProxy(
                    "",
                    "circuit_breakers: { thresholds: [ { max_connections: 1 } ] }",
                    endpoint(upstream.port())),
                Map.of());
        Socket first = connect(proxy.listener("ingress"))) {
      first.getOutputStream().write(1);
      assertThat(first.getInputStream().read()).isEqualTo(1); // holds the only slot

      try (Socket second = connect(proxy.listener("ingress"))) {
        assertThat(second.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(proxy.metric("envoy_cluster_upstream_cx_overflow{envoy_cluster_name=\"service\"}"))
          .isEqualTo(1);
      first.close();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                try (Socket third = connect(proxy.listener("ingress"))) {
                  third.getOutputStream().write(3);
                  assertThat(third.getInputStream().read()).isEqualTo(3); // the slot came back
                }
              });
    }
  }

  @Test
  void idleTimeoutClosesBothSides() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(
                tcpProxy("idle_timeout: 0.3s", "", endpoint(upstream.port())), Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      s.getOutputStream().write(7);
      assertThat(s.getInputStream().read()).isEqualTo(7);
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
    }
  }

  @Test
  void strictDnsClusterResolvesLocalhost() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(
                tcpProxy(
                    "",
                    "type: STRICT_DNS\ndns_lookup_family: V4_ONLY\ndns_refresh_rate: 0.2s",
                    endpoint("localhost", upstream.port())),
                Map.of());
        Socket s = connect(proxy.listener("ingress"))) {
      s.getOutputStream().write(9);
      assertThat(s.getInputStream().read()).isEqualTo(9);
      assertThat(proxy.sidecar().clusters().iterator().next().hosts().hosts())
          .singleElement()
          .satisfies(h -> assertThat(h.addressString()).isEqualTo("127.0.0.1:" + upstream.port()));
    }
  }
}
