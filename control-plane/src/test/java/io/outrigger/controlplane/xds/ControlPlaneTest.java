package io.outrigger.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.controlplane.Fixtures;
import io.outrigger.controlplane.ManualClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane on loopback with a scripted ADS client: resources served and acknowledged,
 * NACKs, the status API, folder changes, refusals, write-back, registrations, make-before-break.
 */
class ControlPlaneTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private ControlPlane cp;
  private AdsClient client;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), Fixtures.mesh("kv", 8080));
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    cp =
        ControlPlane.start(
            new ControlPlaneOptions(
                dir,
                any,
                any,
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                clock,
                Map.of()));
    client = new AdsClient(cp.xdsAddress(), "sidecar-1", "kv");
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    cp.close();
  }

  /** Subscribes to every type in Envoy's order, acknowledging each first response. */
  private void syncAll() throws Exception {
    client.subscribe(CDS);
    DiscoveryResponse cds = client.next();
    assertThat(cds.getTypeUrl()).isEqualTo(CDS);
    client.ack(cds);
    client.subscribe(EDS, "kv");
    client.ack(client.next(), "kv");
    client.subscribe(LDS);
    client.ack(client.next());
    client.subscribe(RDS, "routes");
    DiscoveryResponse rds = client.next();
    assertThat(rds.getResources(0).unpack(RouteConfiguration.class).getName()).isEqualTo("routes");
    client.ack(rds, "routes");
  }

  private JsonObject status() throws Exception {
    return JsonParser.parseString(get("/v1/status").body()).getAsJsonObject();
  }

  private JsonObject proxyType(String type) throws Exception {
    return status()
        .getAsJsonArray("proxies")
        .get(0)
        .getAsJsonObject()
        .getAsJsonObject("types")
        .getAsJsonObject(type);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + cp.httpAddress().getPort() + path);
  }

  @Test
  void servesEveryTypeAndShowsTheProxySyncedWithItsLatency() throws Exception {
    syncAll();

    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              JsonObject proxy = status().getAsJsonArray("proxies").get(0).getAsJsonObject();
              assertThat(proxy.get("node_id").getAsString()).isEqualTo("sidecar-1");
              assertThat(proxy.get("group").getAsString()).isEqualTo("default");
              assertThat(proxy.get("address").getAsString()).startsWith("127.0.0.1:");
              for (String type : List.of("CDS", "EDS", "LDS", "RDS")) {
                JsonObject t = proxy.getAsJsonObject("types").getAsJsonObject(type);
                assertThat(t.get("state").getAsString()).as(type).isEqualTo("SYNCED");
                assertThat(t.get("acked").getAsString())
                    .isEqualTo(t.get("published").getAsString());
                assertThat(t.get("push_to_ack_ms").getAsDouble()).isGreaterThanOrEqualTo(0);
              }
            });
    assertThat(
            status().getAsJsonObject("push_to_ack").getAsJsonObject("CDS").get("count").getAsLong())
        .isEqualTo(1);
    assertThat(get("/metrics").body()).contains("xds_push_to_ack_seconds_count{type=\"CDS\"} 1");
  }

  @Test
  void aNackShowsTheProxyNackedWithItsError() throws Exception {
    client.subscribe(CDS);
    client.nack(client.next(), "", "cluster kv: unsupported field");

    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              JsonObject cds = proxyType("CDS");
              assertThat(cds.get("state").getAsString()).isEqualTo("NACKED");
              assertThat(cds.get("nack_error").getAsString())
                  .isEqualTo("cluster kv: unsupported field");
              assertThat(cds.get("acked").isJsonNull()).isTrue();
              assertThat(proxyType("LDS").get("state").getAsString()).isEqualTo("NOT_SENT");
            });
    // The refused version is not sent again (java-control-plane alone would, in a loop).
    assertThat(client.poll(500)).isNull();
  }

  @Test
  void aProxyThatNeverAsksForRoutesOrEndpointsIsSyncedOnceItHoldsItsClustersAndListeners()
      throws Exception {
    // A proxy whose listeners are all tcp_proxy and whose clusters are static: CDS and LDS only.
    client.subscribe(CDS);
    client.ack(client.next());
    client.subscribe(LDS);
    DiscoveryResponse lds = client.next();
    assertThat(lds.getTypeUrl()).isEqualTo(LDS);
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(proxyType("CDS").get("state").getAsString()).isEqualTo("SYNCED");
              assertThat(proxyType("LDS").get("state").getAsString()).isEqualTo("STALE");
              // Listeners not acknowledged yet: the routes they may name are still to come.
              assertThat(proxyType("RDS").get("state").getAsString()).isEqualTo("NOT_SENT");
              assertThat(proxyType("EDS").get("state").getAsString()).isEqualTo("NOT_SENT");
            });

    client.ack(lds);

    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              for (String type : List.of("CDS", "EDS", "LDS", "RDS")) {
                assertThat(proxyType(type).get("state").getAsString()).as(type).isEqualTo("SYNCED");
              }
              assertThat(proxyType("RDS").get("sent").isJsonNull()).isTrue();
              assertThat(proxyType("RDS").get("acked").isJsonNull()).isTrue();
            });

    // A new cluster version it has not acknowledged: not synced, nor are the types it skips.
    Files.writeString(dir.resolve("mesh.yaml"), Fixtures.mesh("kv2", 8080));
    assertThat(client.poll(2000)).as("an update").isNotNull();
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(proxyType("CDS").get("state").getAsString()).isEqualTo("STALE");
              assertThat(proxyType("RDS").get("state").getAsString()).isEqualTo("NOT_SENT");
            });
  }

  @Test
  void aFolderChangeReachesTheProxyWithinOneSecondAndIsStaleUntilAcknowledged() throws Exception {
    syncAll();

    Files.writeString(dir.resolve("mesh.yaml"), Fixtures.mesh("kv", 9090));

    DiscoveryResponse eds = client.poll(1000);
    assertThat(eds).as("EDS update within 1 s").isNotNull();
    assertThat(eds.getTypeUrl()).isEqualTo(EDS);
    ClusterLoadAssignment assignment = eds.getResources(0).unpack(ClusterLoadAssignment.class);
    assertThat(
            assignment
                .getEndpoints(0)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(9090);
    await()
        .untilAsserted(
            () -> assertThat(proxyType("EDS").get("state").getAsString()).isEqualTo("STALE"));
    client.ack(eds, "kv");
    await()
        .untilAsserted(
            () -> assertThat(proxyType("EDS").get("state").getAsString()).isEqualTo("SYNCED"));
  }

  @Test
  void aBrokenFileIsRefusedWithFileLineAndFieldWhileTheLastGoodStays() throws Exception {
    syncAll();
    String before = get("/v1/resources").body();

    Files.writeString(
        dir.resolve("broken.yaml"), Fixtures.routes("more", "kv").replace("domains", "domainz"));

    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              JsonObject config = status().getAsJsonObject("config");
              assertThat(config.get("state").getAsString()).isEqualTo("REFUSED");
              JsonObject error = config.getAsJsonObject("error");
              assertThat(error.get("file").getAsString()).isEqualTo("broken.yaml");
              assertThat(error.get("line").getAsInt()).isEqualTo(5);
              assertThat(error.get("field").getAsString())
                  .isEqualTo("[0].virtual_hosts[0].domainz");
            });
    assertThat(client.poll(300)).isNull();
    assertThat(get("/v1/resources").body()).isEqualTo(before);
    assertThat(proxyType("RDS").get("state").getAsString()).isEqualTo("SYNCED");
  }

  @Test
  void putAndDeleteAreWrittenBackToTheFolder() throws Exception {
    String body = Fixtures.edsCluster("extra") + Fixtures.assignment("extra", 7070);
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(uri("/v1/resources"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)));

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(Files.readString(dir.resolve("outrigger-api.yaml"))).contains("name: extra");
    assertThat(
            cp.targets()
                .get("default")
                .resources(io.outrigger.controlplane.resources.ResourceType.CLUSTER))
        .containsOnlyKeys("kv", "extra");

    HttpResponse<String> bad =
        send(
            HttpRequest.newBuilder(uri("/v1/resources"))
                .PUT(HttpRequest.BodyPublishers.ofString(Fixtures.routes("r2", "nowhere"))));
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonObject error =
        JsonParser.parseString(bad.body()).getAsJsonObject().getAsJsonObject("error");
    assertThat(error.get("field").getAsString())
        .isEqualTo("[2].virtual_hosts[0].routes[0].route.cluster");
    assertThat(error.get("file").getAsString()).isEqualTo("outrigger-api.yaml");
    assertThat(error.get("line").getAsInt()).isPositive();
    assertThat(Files.readString(dir.resolve("outrigger-api.yaml"))).doesNotContain("r2");

    assertThat(send(HttpRequest.newBuilder(uri("/v1/resources/clusters/kv")).DELETE()).statusCode())
        .isEqualTo(409);
    assertThat(
            send(HttpRequest.newBuilder(uri("/v1/resources/clusters/nope")).DELETE()).statusCode())
        .isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(uri("/v1/resources/secrets/x")).DELETE()).statusCode())
        .isEqualTo(404);
    assertThat(
            send(HttpRequest.newBuilder(uri("/v1/resources/clusters/extra")).DELETE()).statusCode())
        .isEqualTo(200);
    assertThat(Files.readString(dir.resolve("outrigger-api.yaml")))
        .doesNotContain("envoy.config.cluster.v3.Cluster")
        .contains("cluster_name: extra");
  }

  @Test
  void registeredEndpointsFeedEdsAndExpireWhenHeartbeatsStop() throws Exception {
    syncAll();
    String registration =
        "{\"cluster\":\"kv\",\"address\":\"127.0.0.1\",\"port\":9999,\"metadata\":{\"zone\":\"a\"},\"ttl\":\"5s\"}";

    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(uri("/v1/endpoints"))
                .POST(HttpRequest.BodyPublishers.ofString(registration)));
    assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
    DiscoveryResponse withInstance = client.next();
    assertThat(withInstance.getResources(0).unpack(ClusterLoadAssignment.class).getEndpointsCount())
        .isEqualTo(2);
    client.ack(withInstance, "kv");

    clock.advance(Duration.ofSeconds(6));
    DiscoveryResponse expired = client.next();
    assertThat(expired.getResources(0).unpack(ClusterLoadAssignment.class).getEndpointsCount())
        .isEqualTo(1);
    assertThat(get("/v1/endpoints").body().trim()).isEqualTo("[]");

    HttpResponse<String> badPort =
        send(
            HttpRequest.newBuilder(uri("/v1/endpoints"))
                .POST(HttpRequest.BodyPublishers.ofString(registration.replace("9999", "70000"))));
    assertThat(badPort.statusCode()).isEqualTo(400);
    assertThat(badPort.body()).contains("port: 70000 (expected: 1..65535)");
  }

  @Test
  void aClientSeesNewClustersBeforeTheRoutesThatUseThemAndOldOnesRemovedLast() throws Exception {
    syncAll();
    Files.writeString(dir.resolve("mesh.yaml"), Fixtures.mesh("green", 8081));

    List<String> seen = new ArrayList<>();
    List<String> edsNames = new ArrayList<>(List.of("kv"));
    while (!seen.contains("CDS[green]")) {
      DiscoveryResponse r = client.next();
      String entry = describe(r);
      seen.add(entry);
      if (r.getTypeUrl().equals(CDS)) {
        client.ack(r);
        edsNames = new ArrayList<>();
        for (var any : r.getResourcesList()) {
          edsNames.add(any.unpack(Cluster.class).getName());
        }
        client.ack(lastOf(EDS, r), edsNames.toArray(String[]::new));
      } else if (r.getTypeUrl().equals(EDS)) {
        client.ack(r, edsNames.toArray(String[]::new));
      } else {
        client.ack(r, r.getTypeUrl().equals(RDS) ? new String[] {"routes"} : new String[0]);
      }
    }

    int added = seen.indexOf("CDS[green, kv]");
    int switched = seen.indexOf("RDS[routes->green]");
    int removed = seen.indexOf("CDS[green]");
    assertThat(added).as(seen.toString()).isNotNegative();
    assertThat(switched).as(seen.toString()).isGreaterThan(added);
    assertThat(removed).as(seen.toString()).isGreaterThan(switched);
  }

  private DiscoveryResponse lastEds;

  /** The EDS response to re-request from: its version and nonce, so the request is an ACK too. */
  private DiscoveryResponse lastOf(String type, DiscoveryResponse fallback) {
    return lastEds != null
        ? lastEds
        : fallback.toBuilder().setTypeUrl(type).setVersionInfo("").setNonce("").build();
  }

  private String describe(DiscoveryResponse r) throws Exception {
    List<String> names = new ArrayList<>();
    if (r.getTypeUrl().equals(CDS)) {
      for (var any : r.getResourcesList()) {
        names.add(any.unpack(Cluster.class).getName());
      }
      java.util.Collections.sort(names);
      return "CDS" + names;
    }
    if (r.getTypeUrl().equals(RDS)) {
      RouteConfiguration routes = r.getResources(0).unpack(RouteConfiguration.class);
      return "RDS["
          + routes.getName()
          + "->"
          + routes.getVirtualHosts(0).getRoutes(0).getRoute().getCluster()
          + "]";
    }
    if (r.getTypeUrl().equals(EDS)) {
      lastEds = r;
    }
    return r.getTypeUrl().substring(r.getTypeUrl().lastIndexOf('.') + 1) + "#" + r.getVersionInfo();
  }
}
