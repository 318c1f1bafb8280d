package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * xDS end to end with the built command: a control plane serving a folder, a sidecar configured
 * only through it, two upstreams. Editing the route file moves traffic; a broken file is refused
 * and traffic stays; a resource the sidecar cannot apply shows NACKED; killing the control plane
 * leaves traffic alone, and a restarted one brings every proxy back to SYNCED.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class XdsProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();

  @TempDir Path tmp;
  private final List<HttpServer> upstreams = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private Path resources;
  private int xds;
  private int cpHttp;
  private int listen;
  private int admin;
  private Process controlPlane;

  private HttpServer upstream(String answer) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    s.createContext(
        "/",
        ex -> {
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    s.start();
    upstreams.add(s);
    return s;
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(HOME.resolve("bin/outrigger").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JAVA_OPTS", "-Xmx128m");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.directory(HOME.toFile()).start();
    processes.add(p);
    return p;
  }

  private Process startControlPlane() throws IOException {
    return start(
        tmp.resolve("control-plane.log"),
        "control-plane",
        "--resources",
        resources.toString(),
        "--xds-address",
        "127.0.0.1:" + xds,
        "--http-address",
        "127.0.0.1:" + cpHttp,
        "--insecure-plaintext-xds",
        "--insecure-no-auth");
  }

  private static String routes(String cluster) {
    return """
        - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
          name: local
          virtual_hosts:
          - name: all
            domains: ["*"]
            routes:
            - match: { prefix: / }
              route: { cluster: %s }
        """
        .formatted(cluster);
  }

  @BeforeEach
  void start() throws Exception {
    HttpServer a = upstream("A");
    HttpServer b = upstream("B");
    xds = SidecarProcess.freePort();
    cpHttp = SidecarProcess.freePort();
    listen = SidecarProcess.freePort();
    admin = SidecarProcess.freePort();
    resources = Files.createDirectories(tmp.resolve("resources"));
    Files.writeString(
        resources.resolve("clusters.yaml"),
        """
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: a
          connect_timeout: 1s
          load_assignment:
            cluster_name: a
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: b
          connect_timeout: 1s
          load_assignment:
            cluster_name: b
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """
            .formatted(a.getAddress().getPort(), b.getAddress().getPort()));
    Files.writeString(
        resources.resolve("listeners.yaml"),
        """
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: ingress
          address: { socket_address: { address: 127.0.0.1, port_value: %d } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                rds: { route_config_name: local, config_source: { ads: {} } }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
            .formatted(listen));
    Files.writeString(resources.resolve("routes.yaml"), routes("a"));
    controlPlane = startControlPlane();
    Path bootstrap = tmp.resolve("sidecar.yaml");
    Files.writeString(bootstrap, AdsBootstrap.yaml("sidecar-1", "web", admin, xds));
    start(
        tmp.resolve("sidecar.log"),
        "proxy",
        "--config",
        bootstrap.toString(),
        "--concurrency",
        "2");
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> status("http://127.0.0.1:" + admin + "/ready") == 200);
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    upstreams.forEach(s -> s.stop(0));
  }

  private int status(String url) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private String through() throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Runs {@code outrigger cp ARGS} against the control plane and returns what it printed. */
  private String cp(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/outrigger").toString(), "cp"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--control-plane", "http://127.0.0.1:" + cpHttp));
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private JsonObject cpStatus() throws Exception {
    String body =
        client
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cpHttp + "/v1/status"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return JsonParser.parseString(body).getAsJsonObject();
  }

  private String proxyState(String type) throws Exception {
    var proxies = cpStatus().getAsJsonArray("proxies");
    if (proxies.isEmpty()) {
      return "DISCONNECTED";
    }
    return proxies
        .get(0)
        .getAsJsonObject()
        .getAsJsonObject("types")
        .getAsJsonObject(type)
        .get("state")
        .getAsString();
  }

  @Test
  void theControlPlaneSteersTrafficAndItsAbsenceChangesNothing() throws Exception {
    assertThat(through()).isEqualTo("A");
    String dump =
        client
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/config_dump"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(dump)
        .contains("dynamic_active_clusters")
        .contains("dynamic_listeners")
        .contains("dynamic_route_configs")
        .contains("\"version_info\"")
        .contains("\"last_updated\"");

    // A route edit moves traffic.
    long edited = System.nanoTime();
    Files.writeString(resources.resolve("routes.yaml"), routes("b"));
    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> through().equals("B"));
    Duration moved = Duration.ofNanos(System.nanoTime() - edited);
    System.out.println("route edit reached traffic in " + moved.toMillis() + " ms");
    assertThat(moved).isLessThan(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> proxyState("RDS").equals("SYNCED"));

    // A broken file is refused by the control plane; traffic is untouched.
    Files.writeString(resources.resolve("routes.yaml"), routes("b") + "  no_such_field: 1\n");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                cpStatus().getAsJsonObject("config").get("state").getAsString().equals("REFUSED"));
    assertThat(through()).isEqualTo("B");

    // A resource the control plane accepts but the sidecar cannot (a cluster named like one of its
    // bootstrap's static clusters) is NACKed: `cp status` shows the sidecar's error, traffic stays.
    Files.writeString(resources.resolve("routes.yaml"), routes("b"));
    String clusters = Files.readString(resources.resolve("clusters.yaml"));
    Files.writeString(
        resources.resolve("clusters.yaml"),
        clusters
            + """
            - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
              name: xds
              connect_timeout: 1s
            """);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxyState("CDS").equals("NACKED"));
    String table = cp("status");
    assertThat(table).contains("NACKED").contains("static cluster");
    assertThat(through()).isEqualTo("B");
    Files.writeString(resources.resolve("clusters.yaml"), clusters);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxyState("CDS").equals("SYNCED"));

    // Killing the control plane leaves traffic untouched.
    controlPlane.destroy();
    assertThat(controlPlane.waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 20; i++) {
      assertThat(through()).isEqualTo("B");
    }

    // A restarted control plane brings the proxy back to SYNCED on every type.
    controlPlane = startControlPlane();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (String type : List.of("CDS", "LDS", "RDS")) {
                assertThat(proxyState(type)).as(type).isEqualTo("SYNCED");
              }
            });
    assertThat(through()).isEqualTo("B");
  }
}
