package io.outrigger.proxy.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.outrigger.proxy.testkit.GrpcStrings;
import io.outrigger.proxy.testkit.LeakDetectionExtension;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that closes its side of a kept-alive connection gets the connection closed: the
 * listener's sockets allow half-closure (for tcp_proxy), so without an answer to the client's FIN
 * an HTTP connection would wait in CLOSE_WAIT until the idle timeout.
 */
@ExtendWith(LeakDetectionExtension.class)
class DownstreamCloseTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      static_resources:
        listeners:
        - name: ingress
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      direct_response: { status: 200, body: { inline_string: ok } }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
      """;

  private SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    sidecar = SidecarFixture.start(BOOTSTRAP, Map.of());
  }

  @AfterEach
  void stop() {
    sidecar.close();
  }

  private double active() throws Exception {
    return sidecar.listenerMetric("downstream_cx_active", "ingress");
  }

  @Test
  void anHttp11ConnectionIsClosedWhenTheClientClosesAfterItsAnswer() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", sidecar.listener("ingress").getPort()), 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
      byte[] buf = new byte[4096];
      int n = s.getInputStream().read(buf);
      assertThat(new String(buf, 0, n, US_ASCII)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nok");
      assertThat(active()).isEqualTo(1.0);
      s.shutdownOutput();
      assertThat(s.getInputStream().read()).as("the sidecar closes its side too").isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> active() == 0.0);
  }

  @Test
  void anHttp11RequestSentWithTheFinIsAnsweredThenTheConnectionClosed() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", sidecar.listener("ingress").getPort()), 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
      s.shutdownOutput();
      String answer = new String(s.getInputStream().readAllBytes(), US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nok");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> active() == 0.0);
  }

  @Test
  void anHttp2ConnectionIsClosedWhenTheClientGoesAway() throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", sidecar.listener("ingress").getPort())
            .usePlaintext()
            .build();
    try {
      // A direct response is no gRPC answer; what matters is the connection it leaves open.
      try {
        ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "a");
      } catch (RuntimeException expected) {
        // no grpc-status in a plain 200
      }
      assertThat(active()).isEqualTo(1.0);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> active() == 0.0);
  }

  private static final MethodDescriptor<String, String> UNARY =
      GrpcStrings.unary("test.Service/Call");
}
