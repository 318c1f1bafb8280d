package io.outrigger.proxy.server;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.proxy.admin.ServerState;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SidecarLifecycleTest {

  @Test
  void shutdownLetsOpenConnectionsFinishWithinTheDrainTime() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(
                tcpProxy("", "", endpoint(upstream.port())),
                Map.of(),
                new SidecarOptions(1, Duration.ofSeconds(10)));
        Socket s = new Socket("127.0.0.1", proxy.listener("ingress").getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(1);
      assertThat(s.getInputStream().read()).isEqualTo(1);
      proxy.sidecar().shutdown();
      assertThat(proxy.sidecar().state()).isEqualTo(ServerState.DRAINING);
      // Still relaying during the drain.
      s.getOutputStream().write(2);
      assertThat(s.getInputStream().read()).isEqualTo(2);
      long start = System.nanoTime();
      s.close();
      proxy.sidecar().terminated().get(5, TimeUnit.SECONDS);
      // Ended when the last connection closed, well before the 10 s drain time.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(proxy.sidecar().state()).isEqualTo(ServerState.TERMINATED);
    }
  }

  @Test
  void drainTimeOverClosesWhatIsLeft() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy =
            SidecarFixture.start(
                tcpProxy("", "", endpoint(upstream.port())),
                Map.of(),
                new SidecarOptions(1, Duration.ofMillis(300)));
        Socket s = new Socket("127.0.0.1", proxy.listener("ingress").getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(1);
      assertThat(s.getInputStream().read()).isEqualTo(1);
      proxy.sidecar().shutdown().get(5, TimeUnit.SECONDS);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void aListenerThatCannotBindFailsTheStartAndNamesIt() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String yaml =
          tcpProxy("", "", endpoint(1))
              .replaceFirst(
                  "socket_address: \\{ address: 127.0.0.1, port_value: 0 }\n    per_connection",
                  "socket_address: { address: 127.0.0.1, port_value: "
                      + taken.getLocalPort()
                      + " }\n    per_connection");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> SidecarFixture.start(yaml, Map.of()))
          .isInstanceOf(Sidecar.StartException.class)
          .hasMessageContaining("listener ingress: cannot bind 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
