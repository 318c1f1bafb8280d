package io.outrigger.proxy.http.filters;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.outrigger.proxy.testkit.GrpcStrings;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The partition filter through a real sidecar on loopback: one outbound listener whose virtual
 * hosts are peers, each action on real sockets, and a route's own rules replacing the filter's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionFilterEndToEndTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address:
          socket_address: { address: 127.0.0.1, port_value: 0 }
      static_resources:
        listeners:
        - name: outbound
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: outbound
                route_config:
                  virtual_hosts:
                  - name: healed
                    domains: ["healed", "healed:*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: backend }
                    typed_per_filter_config:
                      outrigger.filters.partition:
                        "@type": type.googleapis.com/envoy.config.route.v3.FilterConfig
                        is_optional: true
                        config:
                          "@type": type.googleapis.com/xds.type.v3.TypedStruct
                          type_url: type.googleapis.com/outrigger.filters.partition.v1.Partition
                          value: { rules: [] }
                  - name: peers
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: backend }
                http_filters:
                - name: outrigger.filters.partition
                  typed_config:
                    "@type": type.googleapis.com/xds.type.v3.TypedStruct
                    type_url: type.googleapis.com/outrigger.filters.partition.v1.Partition
                    value:
                      rules:
                      - { peer: healed, action: refuse }
                      - { peer: n2, action: drop }
                      - { peer: n3, action: refuse }
                      - { peer: n4, action: reset }
                      - { peer: n5, action: delay, delay: 300ms }
                      - { peer: n6, action: lose, fraction: 1.0 }
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: backend
          connect_timeout: 1s
          load_assignment:
            cluster_name: backend
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${PORT}" }
      """;

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private HttpUpstream upstream;
  private SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    upstream = new HttpUpstream("backend");
    sidecar = SidecarFixture.start(BOOTSTRAP, Map.of("PORT", String.valueOf(upstream.port())));
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    upstream.close();
  }

  /** The JDK client's Host is {@code 127.0.0.1:port}: a peer without rule. */
  private HttpResponse<String> get() throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/kv/a"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int port() {
    return sidecar.listener("outbound").getPort();
  }

  private Socket send(String host) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
    s.getOutputStream()
        .write(("GET /kv/a HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** Reads what the sidecar sends until it closes or {@code timeoutMillis} of silence. */
  private static String readAll(Socket s, int timeoutMillis) throws Exception {
    s.setSoTimeout(timeoutMillis);
    InputStream in = s.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      String text = out.toString(US_ASCII);
      String lower = text.toLowerCase(java.util.Locale.ROOT);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0 && lower.contains("content-length: ")) {
        int len =
            Integer.parseInt(
                lower.substring(lower.indexOf("content-length: ") + 16).split("\r\n")[0].trim());
        if (out.size() >= end + 4 + len) {
          return text;
        }
      }
    }
    return out.toString(US_ASCII);
  }

  @Test
  void requestsToPeersWithoutRulePass() throws Exception {
    try (Socket s = send("n1:8080")) {
      assertThat(readAll(s, 5000)).startsWith("HTTP/1.1 200").contains("hello from backend");
    }
    assertThat(get().statusCode()).isEqualTo(200);
  }

  @Test
  void refuseAnswers503AndKeepsTheConnectionForOtherPeers() throws Exception {
    try (Socket s = send("N3")) {
      String first = readAll(s, 5000);
      assertThat(first)
          .startsWith("HTTP/1.1 503")
          .containsIgnoringCase("x-outrigger-partition: refuse");
      s.getOutputStream().write("GET /kv/a HTTP/1.1\r\nHost: n1\r\n\r\n".getBytes(US_ASCII));
      assertThat(readAll(s, 5000)).startsWith("HTTP/1.1 200");
    }
    assertThat(upstream.seen()).hasSize(1);
  }

  @Test
  void resetClosesTheHttp11ConnectionWithoutAResponse() throws Exception {
    try (Socket s = send("n4")) {
      assertThat(readAll(s, 5000)).isEmpty();
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void delayForwardsAfterTheDelay() throws Exception {
    long start = System.nanoTime();
    try (Socket s = send("n5")) {
      assertThat(readAll(s, 5000)).startsWith("HTTP/1.1 200");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void dropHoldsTheRequestUntilTheClientGivesUpAndFreesTheStream() throws Exception {
    String held = "envoy_http_partition_held_requests{envoy_http_conn_manager_prefix=\"outbound\"}";
    Socket s = send("n2");
    s.setSoTimeout(500);
    assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    assertThat(sidecar.metric(held)).isEqualTo(1.0);

    s.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> sidecar.metric(held) == 0.0);
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void loseWithFractionOneDropsEveryRequest() throws Exception {
    try (Socket s = send("n6")) {
      assertThatThrownBy(() -> readAll(s, 500)).isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void routeRulesReplaceTheFilterRules() throws Exception {
    try (Socket s = send("healed")) {
      assertThat(readAll(s, 5000)).startsWith("HTTP/1.1 200");
    }
  }

  private static final MethodDescriptor<String, String> UNARY = GrpcStrings.unary("kv.Store/Get");

  /**
   * HTTP/2 (gRPC's h2c): a reset is an RST_STREAM of that stream alone, so the connection carries
   * the next call (here a refusal, in gRPC's form) and only one connection is ever opened.
   */
  @Test
  void resetOnHttp2ResetsOnlyTheStream() throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().build();
    try {
      assertThatThrownBy(
              () ->
                  ClientCalls.blockingUnaryCall(
                      channel, UNARY, CallOptions.DEFAULT.withAuthority("n4"), "a"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
      assertThatThrownBy(
              () ->
                  ClientCalls.blockingUnaryCall(
                      channel, UNARY, CallOptions.DEFAULT.withAuthority("n3"), "a"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).isEqualTo("partition: peer unreachable");
              });
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(sidecar.listenerMetric("downstream_cx_total", "outbound")).isEqualTo(1.0);
    assertThat(upstream.seen()).isEmpty();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sidecar.listenerMetric("downstream_cx_active", "outbound") == 0.0);
  }
}
