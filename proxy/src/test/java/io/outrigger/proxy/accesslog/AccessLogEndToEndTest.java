package io.outrigger.proxy.accesslog;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.proxy.server.Sidecar.StartException;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Access logs written by a real sidecar: JSON lines for HTTP, the default format for TCP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessLogEndToEndTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static final String BOOTSTRAP =
      """
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
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: edge
                access_log:
                - name: envoy.access_loggers.file
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                    path: ${LOG}
                    log_format:
                      json_format:
                        start_time: "%START_TIME%"
                        method: "%REQ(:METHOD)%"
                        path: "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%"
                        protocol: "%PROTOCOL%"
                        response_code: "%RESPONSE_CODE%"
                        response_flags: "%RESPONSE_FLAGS%"
                        response_code_details: "%RESPONSE_CODE_DETAILS%"
                        bytes_received: "%BYTES_RECEIVED%"
                        bytes_sent: "%BYTES_SENT%"
                        duration: "%DURATION%"
                        upstream_host: "%UPSTREAM_HOST%"
                        upstream_cluster: "%UPSTREAM_CLUSTER%"
                        downstream_remote_address: "%DOWNSTREAM_REMOTE_ADDRESS%"
                        attempts: "%UPSTREAM_REQUEST_ATTEMPT_COUNT%"
                        trace_id: "%TRACE_ID%"
                        peer_san: "%DOWNSTREAM_PEER_URI_SAN%"
                        overloaded: "%RESP(X-ENVOY-OVERLOADED)%"
                - name: errors-only
                  filter:
                    status_code_filter:
                      comparison: { op: GE, value: { default_value: 500, runtime_key: unused } }
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                    path: ${ERRORS}
                    log_format:
                      text_format_source: { inline_string: "%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\\n" }
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: /ok }
                      route: { cluster: one }
                    - match: { prefix: /full }
                      route: { cluster: full }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: one
          connect_timeout: 1s
          load_assignment:
            cluster_name: one
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "${P1}" } } }
        - name: full
          connect_timeout: 1s
          circuit_breakers:
            thresholds:
            - max_requests: 0
          load_assignment:
            cluster_name: full
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "${P1}" } } }
      """;

  private static HttpResponse<String> post(InetSocketAddress listener, String path, String body)
      throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.getPort() + path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> lines(Path file, int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(file) && Files.readAllLines(file).size() >= n);
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void writesOneJsonLinePerRequestWithTheReasonOfAnOverflow(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("access.json");
    Path errors = dir.resolve("errors.log");
    try (HttpUpstream one = new HttpUpstream("one");
        SidecarFixture proxy =
            SidecarFixture.start(
                BOOTSTRAP,
                Map.of(
                    "LOG", log.toString(),
                    "ERRORS", errors.toString(),
                    "P1", String.valueOf(one.port())))) {
      InetSocketAddress edge = proxy.listener("edge");

      assertThat(post(edge, "/ok", "12345").statusCode()).isEqualTo(200);
      assertThat(post(edge, "/nothing", "").statusCode()).isEqualTo(404);
      HttpResponse<String> overflow = post(edge, "/full", "");
      assertThat(overflow.statusCode()).isEqualTo(503);

      List<JsonObject> json =
          lines(log, 3).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
      assertThat(json).hasSize(3);
      // Lines are written as streams complete, on whichever event loop each connection landed:
      // their order across connections is not the order of the requests.
      java.util.Map<Integer, JsonObject> byCode = new java.util.HashMap<>();
      json.forEach(j -> byCode.put(j.get("response_code").getAsInt(), j));
      assertThat(byCode).containsOnlyKeys(200, 404, 503);

      JsonObject ok = byCode.get(200);
      assertThat(ok.get("method").getAsString()).isEqualTo("POST");
      assertThat(ok.get("path").getAsString()).isEqualTo("/ok");
      assertThat(ok.get("protocol").getAsString()).isEqualTo("HTTP/1.1");
      assertThat(ok.get("response_code").getAsInt()).isEqualTo(200);
      assertThat(ok.get("response_flags").getAsString()).isEqualTo("-");
      assertThat(ok.get("response_code_details").getAsString()).isEqualTo("via_upstream");
      assertThat(ok.get("bytes_received").getAsLong()).isEqualTo(5);
      assertThat(ok.get("bytes_sent").getAsLong()).isEqualTo("hello from one".length());
      assertThat(ok.get("duration").getAsLong()).isGreaterThanOrEqualTo(0);
      assertThat(ok.get("upstream_host").getAsString()).isEqualTo("127.0.0.1:" + one.port());
      assertThat(ok.get("upstream_cluster").getAsString()).isEqualTo("one");
      assertThat(ok.get("downstream_remote_address").getAsString()).startsWith("127.0.0.1:");
      assertThat(ok.get("attempts").getAsInt()).isEqualTo(1);
      assertThat(ok.get("trace_id").isJsonNull()).isTrue();
      assertThat(ok.get("peer_san").isJsonNull()).isTrue();
      assertThat(ok.get("start_time").getAsString())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

      JsonObject notFound = byCode.get(404);
      assertThat(notFound.get("response_code").getAsInt()).isEqualTo(404);
      assertThat(notFound.get("response_flags").getAsString()).isEqualTo("NR");
      assertThat(notFound.get("response_code_details").getAsString()).isEqualTo("route_not_found");
      assertThat(notFound.get("upstream_host").isJsonNull()).isTrue();
      assertThat(notFound.get("upstream_cluster").isJsonNull()).isTrue();
      assertThat(notFound.get("attempts").getAsInt()).isZero();

      JsonObject full = byCode.get(503);
      assertThat(full.get("response_code").getAsInt()).isEqualTo(503);
      assertThat(full.get("response_flags").getAsString()).isEqualTo("UO");
      assertThat(full.get("response_code_details").getAsString()).isEqualTo("upstream_overflow");
      assertThat(full.get("upstream_cluster").getAsString()).isEqualTo("full");
      assertThat(full.get("overloaded").getAsString()).isEqualTo("true");
      assertThat(full.get("bytes_sent").getAsLong())
          .isEqualTo(overflow.body().getBytes(StandardCharsets.UTF_8).length);

      // The status filter let only the 503 through to the second log.
      assertThat(lines(errors, 1)).containsExactly("503 UO upstream_overflow");
      assertThat(proxy.metric("envoy_access_log_dropped{path=\"" + log + "\"}")).isZero();
    }
  }

  @Test
  void tcpProxyLogsEachConnectionInTheDefaultFormat(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("tcp.log");
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String accessLog =
        """
        access_log:
        - typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
            path: %s
            log_format:
              text_format_source:
                inline_string: "%%RESPONSE_FLAGS%% %%BYTES_RECEIVED%% %%BYTES_SENT%% %%UPSTREAM_HOST%% %%UPSTREAM_CLUSTER%% %%PROTOCOL%% %%RESPONSE_CODE%%\\n"
        """
            .formatted(log);
    try (HttpUpstream up = new HttpUpstream("up")) {
      String yaml = tcpProxy(accessLog, "", endpoint(up.port()));
      try (SidecarFixture proxy = SidecarFixture.start(yaml, Map.of())) {
        byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] answer;
        try (Socket s =
            new Socket(InetAddress.getLoopbackAddress(), proxy.listener("ingress").getPort())) {
          s.setSoTimeout(5000);
          s.getOutputStream().write(request);
          answer = s.getInputStream().readAllBytes();
        }
        assertThat(lines(log, 1))
            .containsExactly(
                "- "
                    + request.length
                    + " "
                    + answer.length
                    + " 127.0.0.1:"
                    + up.port()
                    + " service - 0");
      }
    }
    String failing = tcpProxy(accessLog, "", endpoint(closed));
    Files.delete(log);
    try (SidecarFixture proxy = SidecarFixture.start(failing, Map.of())) {
      try (Socket s =
          new Socket(InetAddress.getLoopbackAddress(), proxy.listener("ingress").getPort())) {
        s.setSoTimeout(5000);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(lines(log, 1)).containsExactly("UF 0 0 127.0.0.1:" + closed + " service - 0");
    }
  }

  @Test
  void aLogFileThatCannotBeOpenedStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
    String path = dir.resolve("no/such/dir/access.log").toString();
    String accessLog =
        """
        access_log:
        - typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
            path: %s
        """
            .formatted(path);
    try (HttpUpstream up = new HttpUpstream("up")) {
      assertThatThrownBy(
              () -> SidecarFixture.start(tcpProxy(accessLog, "", endpoint(up.port())), Map.of()))
          .isInstanceOf(StartException.class)
          .hasMessageStartingWith("listener ingress: access log \"" + path + "\": cannot open: ");
    }
  }
}
