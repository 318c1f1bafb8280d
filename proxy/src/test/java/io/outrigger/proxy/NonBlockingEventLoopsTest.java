package io.outrigger.proxy;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;

/**
 * Nothing blocks an event loop: BlockHound instruments the JDK's blocking calls (sleeping, parking,
 * blocking socket and file I/O) and reports any made on a Netty event-loop thread while a sidecar
 * carries TCP, HTTP/1.1 and HTTP/2 traffic and answers its admin endpoints.
 *
 * <p>Violations are recorded rather than thrown, so that one found here does not break a connection
 * half-way and hide the next; the test then fails with every call and its stack.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonBlockingEventLoopsTest {
  private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void install() {
    BlockHound.builder()
        // Outrigger's event loops by name, on top of what Netty's own integration marks.
        .nonBlockingThreadPredicate(
            p ->
                p.or(
                    t ->
                        t.getName().startsWith("outrigger-worker")
                            || t.getName().startsWith("outrigger-admin")
                            || t.getName().startsWith("blocking-probe")))
        .blockingMethodCallback(
            m -> {
              StringBuilder sb = new StringBuilder(m.toString());
              for (StackTraceElement e : new Throwable().getStackTrace()) {
                sb.append("\n    at ").append(e);
              }
              VIOLATIONS.add(Thread.currentThread().getName() + ": " + sb);
            })
        .install();
  }

  @Test
  void theCheckSeesASleepOnAnEventLoop() throws Exception {
    var group = io.outrigger.proxy.transport.Transport.NIO.newEventLoopGroup(1, "blocking-probe");
    try {
      VIOLATIONS.clear();
      group
          .submit(
              () -> {
                Thread.sleep(1);
                return null;
              })
          .get(5, TimeUnit.SECONDS);
      assertThat(VIOLATIONS).anySatisfy(v -> assertThat(v).contains("sleep"));
    } finally {
      VIOLATIONS.clear();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void tcpHttpAndAdminTrafficNeverBlockALoop(@TempDir Path dir) throws Exception {
    // Both sidecars write access logs: formatting and handing lines over must not block either.
    // The HTTP one also traces every request to a collector that is down: spans are made and
    // handed to the export queue on the loops, and export fails off them.
    Path log = dir.resolve("http.log");
    List<String> duringTraffic;
    String accessLog =
        """
        access_log:
        - typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
            path: %s
        """
            .formatted(dir.resolve("tcp.log"));
    try (TcpUpstream echo = TcpUpstream.start(TcpUpstream.ECHO);
        HttpUpstream web = new HttpUpstream("web");
        SidecarFixture tcp =
            SidecarFixture.start(tcpProxy(accessLog, "", endpoint(echo.port())), Map.of());
        SidecarFixture http =
            SidecarFixture.start(
                httpBootstrap(),
                Map.of("WEB", "" + web.port(), "LOG", log.toString(), "DEAD", "" + deadPort()))) {
      try (Socket s = new Socket("127.0.0.1", tcp.listener("ingress").getPort())) {
        s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
            .isEqualTo("ping");
      }
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      int port = http.listener("web").getPort();
      for (String path : List.of("/a", "/echo-sha", "/status/503", "/none")) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .POST(HttpRequest.BodyPublishers.ofString("body"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isPositive();
      }
      Process curl =
          new ProcessBuilder(
                  "curl",
                  "-s",
                  "--max-time",
                  "10",
                  "--http2-prior-knowledge",
                  "http://127.0.0.1:" + port + "/h2")
              .redirectErrorStream(true)
              .start();
      assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hello from web");
      for (String path :
          List.of(
              "/ready", "/stats", "/stats/prometheus", "/clusters", "/config_dump", "/logging")) {
        HttpResponse<String> r = http.admin("GET", path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      }
      assertThat(http.admin("POST", "/drain_listeners").statusCode()).isEqualTo(200);
      // Checked before the sidecars stop: stopping an event-loop group runs Netty's own
      // termination (a lock in GlobalEventExecutor), which is not Outrigger's data path and which
      // BlockHound then reports now and then.
      duringTraffic = List.copyOf(VIOLATIONS);
    }
    assertThat(duringTraffic).as(String.join("\n\n", duringTraffic)).isEmpty();
    assertThat(Files.readAllLines(log)).contains("{\"code\":200,\"path\":\"/a\"}");
    assertThat(Files.readAllLines(dir.resolve("tcp.log"))).hasSize(1);
  }

  private static int deadPort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort(); // closed again: connections to it are refused
    }
  }

  private static String httpBootstrap() {
    return """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
        static_resources:
          listeners:
          - name: web
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: web
                  access_log:
                  - typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: ${LOG}
                      log_format: { json_format: { code: "%RESPONSE_CODE%", path: "%REQ(:PATH)%" } }
                  tracing:
                    provider:
                      name: envoy.tracers.opentelemetry
                      typed_config:
                        "@type": type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig
                        http_service:
                          http_uri: { uri: "http://127.0.0.1:${DEAD}/v1/traces", cluster: none, timeout: 1s }
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: /none }
                        direct_response: { status: 404 }
                      - match: { prefix: / }
                        route: { cluster: web }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: web
            connect_timeout: 1s
            load_assignment:
              cluster_name: web
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address:
                        address: 127.0.0.1
                        port_value: ${WEB}
        """;
  }
}
