package io.outrigger.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code envoy.filters.network.connection_limit} in front of a {@code tcp_proxy} on real sockets:
 * past {@code max_connections} a connection is closed before the upstream sees it, a closed one
 * gives its slot back, and the statistics say so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitFilterTest {
  private static String bootstrap(int upstreamPort, String delay) {
    return """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
        static_resources:
          listeners:
          - name: edge
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
            - filters:
              - name: envoy.filters.network.connection_limit
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit
                  stat_prefix: edge_limit
                  max_connections: 2
                  %s
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: edge
                  cluster: service
          clusters:
          - name: service
            connect_timeout: 1s
            load_assignment:
              cluster_name: service
              endpoints:
              - lb_endpoints:
        %s
        """
        .formatted(delay, Bootstraps.endpoint(upstreamPort));
  }

  private final List<Socket> sockets = new ArrayList<>();
  private TcpUpstream upstream;
  private SidecarFixture sidecar;

  private void start(String delay) throws Exception {
    upstream = TcpUpstream.start(TcpUpstream.ECHO);
    sidecar = SidecarFixture.start(bootstrap(upstream.port(), delay), Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", sidecar.listener("edge").getPort()), 5000);
    s.setSoTimeout(5000);
    sockets.add(s);
    return s;
  }

  private static String echo(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
  }

  /** True once the proxy closed (or reset) the connection. */
  private static boolean closedByProxy(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Test
  void aConnectionPastMaxConnectionsIsClosedAndAFreedSlotIsReused() throws Exception {
    start("");
    Socket first = connect();
    Socket second = connect();
    assertThat(echo(first, "one")).isEqualTo("one");
    assertThat(echo(second, "two")).isEqualTo("two");

    Socket third = connect();

    assertThat(closedByProxy(third)).isTrue();
    assertThat(upstream.accepted()).isEqualTo(2);
    assertThat(
            sidecar.metric(
                "envoy_connection_limit_limited_connections{envoy_connection_limit_prefix=\"edge_limit\"}"))
        .isEqualTo(1.0);
    assertThat(
            sidecar.metric(
                "envoy_connection_limit_active_connections{envoy_connection_limit_prefix=\"edge_limit\"}"))
        .isEqualTo(2.0);

    first.close();
    await()
        .until(
            () ->
                sidecar.metric(
                        "envoy_connection_limit_active_connections{envoy_connection_limit_prefix=\"edge_limit\"}")
                    == 1.0);
    assertThat(echo(connect(), "four")).isEqualTo("four");
  }

  @Test
  void withADelayTheRefusedConnectionIsHeldThenClosed() throws Exception {
    start("delay: 0.3s");
    assertThat(echo(connect(), "one")).isEqualTo("one");
    assertThat(echo(connect(), "two")).isEqualTo("two");
    Socket third = connect();
    long start = System.nanoTime();

    assertThat(closedByProxy(third)).isTrue();

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(250);
    assertThat(upstream.accepted()).isEqualTo(2);
  }
}
