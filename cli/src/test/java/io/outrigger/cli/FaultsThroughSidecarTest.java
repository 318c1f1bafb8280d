package io.outrigger.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's fault API end to end, in one JVM: a real control plane serves node n1's
 * sidecar over ADS (an outbound listener whose route to peer n2 comes over RDS); faults posted to
 * {@code /v1/faults} reach the sidecar and act on a keep-alive connection opened before them, and a
 * heal restores the route.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultsThroughSidecarTest {
  @TempDir Path dir;
  private HttpServer peer;
  private ControlPlane cp;
  private Sidecar sidecar;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    peer.setExecutor(Executors.newFixedThreadPool(2));
    peer.createContext(
        "/",
        ex -> {
          byte[] body = "from n2".getBytes(US_ASCII);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    peer.start();
    Path n1 = Files.createDirectories(dir.resolve("resources/n1"));
    Files.createDirectories(dir.resolve("resources/n2"));
    Files.writeString(dir.resolve("resources/n2/n2.yaml"), "[]\n");
    Files.writeString(n1.resolve("n1.yaml"), n1Resources(peer.getAddress().getPort()));
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    cp =
        ControlPlane.start(
            new ControlPlaneOptions(
                dir.resolve("resources"),
                any,
                any,
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Clock.systemUTC(),
                Map.of()));
    sidecar =
        Sidecar.start(
            BootstrapLoader.load(
                AdsBootstrap.yaml("n1", "n1", -1, cp.xdsAddress().getPort()),
                "n1-sidecar.yaml",
                Map.of()),
            new SidecarOptions(1, Duration.ofMillis(100)));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> sidecar.listenerAddress("outbound") != null);
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (cp != null) {
      cp.close();
    }
    peer.stop(0);
  }

  private static String n1Resources(int peerPort) {
    return """
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: peer_n2
          connect_timeout: 1s
          load_assignment:
            cluster_name: peer_n2
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
          name: outbound_routes
          virtual_hosts:
          - name: n2
            domains: ["n2", "n2:*"]
            routes:
            - match: { prefix: / }
              route: { cluster: peer_n2 }
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: outbound
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: outbound
                rds: { route_config_name: outbound_routes, config_source: { ads: {} } }
                http_filters:
                - name: outrigger.filters.partition
                  typed_config:
                    "@type": type.googleapis.com/xds.type.v3.TypedStruct
                    type_url: type.googleapis.com/outrigger.filters.partition.v1.Partition
                    value: {}
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(peerPort);
  }

  private HttpResponse<String> api(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpAddress().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject faults() throws Exception {
    return JsonParser.parseString(api("GET", "/v1/faults", "").body()).getAsJsonObject();
  }

  private void awaitApplied(long version) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              JsonObject f = faults();
              return f.get("version").getAsLong() == version
                  && f.getAsJsonObject("nodes").getAsJsonObject("n1").get("applied").getAsBoolean();
            });
  }

  private Socket connect() throws Exception {
    Socket s = new Socket();
    s.connect(sidecar.listenerAddress("outbound"), 5000);
    s.setSoTimeout(5000);
    return s;
  }

  /** One request to peer n2 on {@code s}; the whole response head and body. */
  private static String exchange(Socket s) throws Exception {
    s.getOutputStream().write("GET /kv/a HTTP/1.1\r\nHost: n2\r\n\r\n".getBytes(US_ASCII));
    InputStream in = s.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return out.toString(US_ASCII);
      }
      out.write(b);
      String text = out.toString(US_ASCII);
      int head = text.indexOf("\r\n\r\n");
      if (head >= 0) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("content-length: ");
        int length = Integer.parseInt(lower.substring(at + 16).split("\r\n")[0].trim());
        return text + new String(in.readNBytes(length), US_ASCII);
      }
    }
  }

  @Test
  void faultsReachAnOpenConnectionOverRdsAndAHealRestoresTheRoute() throws Exception {
    Socket open = connect();
    assertThat(exchange(open)).startsWith("HTTP/1.1 200").endsWith("from n2");
    assertThat(faults().get("version").getAsLong()).isZero();

    HttpResponse<String> refused =
        api("POST", "/v1/faults/link", "{\"from\":\"n1\",\"to\":\"n2\",\"action\":\"refuse\"}");
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("\"action\": \"refuse\"");
    awaitApplied(1);
    assertThat(exchange(open))
        .startsWith("HTTP/1.1 503")
        .containsIgnoringCase("x-outrigger-partition: refuse");

    assertThat(api("POST", "/v1/faults/isolate", "{\"node\":\"n2\"}").statusCode()).isEqualTo(200);
    JsonObject isolated = faults();
    assertThat(isolated.getAsJsonArray("links")).hasSize(2);
    awaitApplied(2);
    open.setSoTimeout(1000);
    assertThatThrownBy(() -> exchange(open)).isInstanceOf(SocketTimeoutException.class);
    open.close();

    assertThat(api("DELETE", "/v1/faults", "").statusCode()).isEqualTo(200);
    awaitApplied(3);
    try (Socket again = connect()) {
      assertThat(exchange(again)).startsWith("HTTP/1.1 200").endsWith("from n2");
    }
    assertThat(faults().getAsJsonArray("links")).isEmpty();
  }

  @Test
  void unknownNodesAndBadJsonAreRefusedAndChangeNothing() throws Exception {
    HttpResponse<String> unknown = api("POST", "/v1/faults/isolate", "{\"node\":\"n9\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unknown node \\\"n9\\\"");
    assertThat(api("POST", "/v1/faults/partition", "{\"groups\": [[\"n1\"]").statusCode())
        .isEqualTo(400);
    assertThat(
            api("POST", "/v1/faults/link", "{\"from\":\"n1\",\"to\":\"n2\",\"action\":\"delay\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(faults().get("version").getAsLong()).isZero();
    assertThat(faults().getAsJsonObject("nodes").keySet()).containsExactly("n1", "n2");
  }
}
