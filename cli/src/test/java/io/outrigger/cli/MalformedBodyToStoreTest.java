package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.kvstore.KvStore;
import io.outrigger.kvstore.KvStoreOptions;
import io.outrigger.kvstore.Mode;
import io.outrigger.kvstore.Peer;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-loss case of the hardening issue: a {@code PUT} through a sidecar whose chunked body
 * turns out malformed after its headers went to the store must store nothing, on any replica (it
 * used to reach the store as a complete, empty request and replace the value).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedBodyToStoreTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address:
          socket_address: { address: 127.0.0.1, port_value: 0 }
      static_resources:
        listeners:
        - name: front
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: front
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: store }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: store
          connect_timeout: 1s
          load_assignment:
            cluster_name: store
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "${N1}" } } }
      """;

  @TempDir Path dir;
  private final List<KvStore> replicas = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Sidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    List<Integer> ports = freePorts(3);
    for (int i = 0; i < 3; i++) {
      List<Peer> peers = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          peers.add(new Peer("n" + (j + 1), new InetSocketAddress("127.0.0.1", ports.get(j))));
        }
      }
      String node = "n" + (i + 1);
      KvStoreOptions options =
          KvStoreOptions.of(
                  node,
                  new InetSocketAddress("127.0.0.1", ports.get(i)),
                  peers,
                  Mode.CP,
                  dir.resolve(node))
              .withFsync(false);
      replicas.add(KvStore.start(options, new Random(i)));
    }
    sidecar =
        Sidecar.start(
            BootstrapLoader.load(BOOTSTRAP, "front.yaml", Map.of("N1", "" + ports.get(0))),
            new SidecarOptions(1, Duration.ofSeconds(1)));
  }

  @AfterEach
  void stop() throws IOException {
    if (sidecar != null) {
      sidecar.close();
    }
    for (KvStore r : replicas) {
      r.close();
    }
  }

  @Test
  void aPutWhoseChunkedBodyBreaksAfterItsHeadersStoresNothingOnAnyReplica() throws Exception {
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(front("/kv/k1"))
                .PUT(HttpRequest.BodyPublishers.ofString("original"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);

    String response;
    try (Socket s = new Socket("127.0.0.1", sidecar.listenerAddress("front").getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      write(
          out, "PUT /kv/k1 HTTP/1.1\r\nHost: n1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nnew\r\n");
      await()
          .until(
              () ->
                  metric("envoy_cluster_upstream_rq_active{envoy_cluster_name=\"store\"}") == 1.0);
      write(out, "fffffffffffffffff\r\n");
      response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    assertThat(response).startsWith("HTTP/1.1 400");
    for (KvStore r : replicas) {
      JsonObject held = local(r);
      assertThat(held.get("value").getAsString()).as(r.options().node()).isEqualTo("original");
    }
  }

  private URI front(String path) {
    return URI.create("http://127.0.0.1:" + sidecar.listenerAddress("front").getPort() + path);
  }

  private JsonObject local(KvStore r) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + r.address().getPort() + "/kv/k1?local=true");
    String body =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    return JsonParser.parseString(body).getAsJsonObject();
  }

  private double metric(String sample) throws Exception {
    int admin = sidecar.adminAddress().orElseThrow().getPort();
    String text =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin + "/stats/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : text.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return -1;
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Replicas must know each other's ports before they start; the ports are taken and let go. */
  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
