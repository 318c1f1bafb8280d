package io.outrigger.proxy.xds;

import static io.outrigger.proxy.testkit.XdsProtos.assignment;
import static io.outrigger.proxy.testkit.XdsProtos.edsCluster;
import static io.outrigger.proxy.testkit.XdsProtos.inlineListener;
import static io.outrigger.proxy.testkit.XdsProtos.rdsListener;
import static io.outrigger.proxy.testkit.XdsProtos.routes;
import static io.outrigger.proxy.testkit.XdsProtos.staticCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.upstream.Cluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DynamicConfig} driven with protos, as the discovery client drives it, over real sockets.
 */
class DynamicConfigTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(java.time.Duration.ofSeconds(2))
          .build();

  private HttpUpstream a;
  private HttpUpstream b;
  private DynamicFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    a = new HttpUpstream("a");
    b = new HttpUpstream("b");
    fx = new DynamicFixture();
  }

  @AfterEach
  void tearDown() {
    fx.close();
    a.close();
    b.close();
  }

  /** CDS (EDS cluster a, static cluster b), EDS, LDS (rds "rc"), RDS routing to {@code cluster}. */
  private void pushAll(String cluster) {
    assertThat(
            fx.push(
                XdsResourceType.CLUSTER,
                "c1",
                edsCluster("a", "svc-a").build(),
                staticCluster("b", b.port()).build()))
        .isEmpty();
    assertThat(fx.push(XdsResourceType.ENDPOINT, "e1", assignment("svc-a", a.port()))).isEmpty();
    assertThat(fx.push(XdsResourceType.LISTENER, "l1", rdsListener("in", 0, "rc", "ingress")))
        .isEmpty();
    assertThat(fx.push(XdsResourceType.ROUTE, "r1", routes("rc", cluster))).isEmpty();
    fx.config.initialized().orTimeout(5, TimeUnit.SECONDS).join();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.port("in") + path))
        .timeout(java.time.Duration.ofSeconds(5))
        .build();
  }

  @Test
  void appliesClustersEndpointsListenersAndRoutesThenTrafficFlows() throws Exception {
    pushAll("a");

    assertThat(fx.wanted.get(XdsResourceType.ENDPOINT)).containsExactly("svc-a");
    assertThat(fx.wanted.get(XdsResourceType.ROUTE)).containsExactly("rc");
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello from a");
    assertThat(fx.config.status(XdsResourceType.CLUSTER).version()).isEqualTo("c1");
    assertThat(fx.config.status(XdsResourceType.CLUSTER).resources()).containsOnlyKeys("a", "b");
    assertThat(fx.config.status(XdsResourceType.ROUTE).resources().get("rc").resource())
        .isEqualTo(routes("rc", "a"));
  }

  @Test
  void routeUpdateMovesTrafficWithoutRebindingAndAnOpenConnectionKeepsWorking() throws Exception {
    pushAll("a");
    int port = fx.port("in");
    try (RawHttpConnection conn = new RawHttpConnection(fx.listenerAddress("in"))) {
      assertThat(conn.get("/").body()).isEqualTo("hello from a");

      assertThat(fx.push(XdsResourceType.ROUTE, "r2", routes("rc", "b"))).isEmpty();
      assertThat(conn.get("/").body()).isEqualTo("hello from b");

      // A listener change on the same address swaps the chain in place: same socket, same port.
      assertThat(fx.push(XdsResourceType.LISTENER, "l2", rdsListener("in", 0, "rc", "other")))
          .isEmpty();
      assertThat(fx.port("in")).isEqualTo(port);
      assertThat(conn.get("/").body()).isEqualTo("hello from b");
    }
    assertThat(get("/").body()).isEqualTo("hello from b");
  }

  @Test
  void aBadResourceIsRefusedNamingResourceAndFieldAndNothingChanges() throws Exception {
    pushAll("a");

    Optional<String> nack =
        fx.push(
            XdsResourceType.CLUSTER,
            "c2",
            staticCluster("b", b.port()).build(),
            staticCluster("bad", a.port())
                .setConnectTimeout(Duration.newBuilder().setSeconds(-1))
                .build());
    assertThat(nack)
        .hasValueSatisfying(m -> assertThat(m).contains("cluster \"bad\"", "connect_timeout"));
    Optional<String> listenerNack =
        fx.push(
            XdsResourceType.LISTENER,
            "l2",
            rdsListener("in", 0, "rc", "ingress"),
            Listener.newBuilder()
                .setName("broken")
                .setAddress(io.outrigger.proxy.testkit.XdsProtos.address(0))
                .build());
    assertThat(listenerNack)
        .hasValueSatisfying(m -> assertThat(m).contains("listener \"broken\"", "filter_chains"));

    assertThat(fx.config.status(XdsResourceType.CLUSTER).version()).isEqualTo("c1");
    assertThat(fx.config.status(XdsResourceType.LISTENER).version()).isEqualTo("l1");
    assertThat(fx.clusters.get("bad")).isNull();
    assertThat(fx.clusters.get("a")).isNotNull();
    assertThat(get("/").body()).isEqualTo("hello from a");
  }

  @Test
  void aRemovedClusterFinishesItsRequestsAndClosesItsConnections() throws Exception {
    pushAll("a");
    assertThat(get("/").body()).isEqualTo("hello from a");
    await().atMost(5, TimeUnit.SECONDS).until(() -> fx.activeUpstreamConnections("a") > 0);
    Cluster old = fx.clusters.get("a");
    CompletableFuture<HttpResponse<String>> slow =
        CLIENT.sendAsync(request("/sleep/700"), HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> a.seen().stream().anyMatch(s -> s.uri().equals("/sleep/700")));

    // Make-before-break, as the control plane sends it: routes move first, then a goes.
    assertThat(fx.push(XdsResourceType.ROUTE, "r2", routes("rc", "b"))).isEmpty();
    assertThat(fx.push(XdsResourceType.CLUSTER, "c2", staticCluster("b", b.port()).build()))
        .isEmpty();

    assertThat(fx.clusters.get("a")).isNull();
    assertThat(old.retired()).isTrue();
    assertThat(fx.wanted.get(XdsResourceType.ENDPOINT)).isEmpty();
    HttpResponse<String> finished = slow.get(5, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).isEqualTo("slept");
    await().atMost(5, TimeUnit.SECONDS).until(() -> fx.activeUpstreamConnections("a") == 0);
    assertThat(get("/").body()).isEqualTo("hello from b");
  }

  @Test
  void routeAndListenerUpdatesUnderLoadFailNoRequest() throws Exception {
    pushAll("a");
    AtomicInteger done = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> clients =
        List.of(
            new Thread(() -> load(150, done, failures)),
            new Thread(() -> load(150, done, failures)));
    clients.forEach(Thread::start);

    for (int i = 1; i <= 5; i++) {
      int target = i * 40;
      await().atMost(20, TimeUnit.SECONDS).until(() -> done.get() >= target || failures.size() > 0);
      Optional<String> nack =
          i % 2 == 1
              ? fx.push(XdsResourceType.ROUTE, "r" + i, routes("rc", i % 4 == 1 ? "b" : "a"))
              : fx.push(
                  XdsResourceType.LISTENER, "l" + i, rdsListener("in", 0, "rc", "ingress" + i));
      assertThat(nack).isEmpty();
    }
    for (Thread t : clients) {
      t.join(30_000);
    }

    assertThat(failures).isEmpty();
    assertThat(done.get()).isEqualTo(300);
    assertThat(a.seen()).isNotEmpty();
    assertThat(b.seen()).isNotEmpty();
  }

  private void load(int n, AtomicInteger done, ConcurrentLinkedQueue<String> failures) {
    for (int i = 0; i < n; i++) {
      try {
        HttpResponse<String> r = get("/");
        if (r.statusCode() != 200) {
          failures.add(r.statusCode() + " " + r.body());
        }
      } catch (Exception e) {
        failures.add(e.toString());
      }
      done.incrementAndGet();
    }
  }

  @Test
  void anEdsClusterIsNotUsedBeforeItsEndpointsArrive() throws Exception {
    assertThat(fx.push(XdsResourceType.CLUSTER, "c1", edsCluster("a", "svc-a").build())).isEmpty();
    assertThat(fx.push(XdsResourceType.LISTENER, "l1", inlineListener("in", 0, "a"))).isEmpty();

    assertThat(fx.clusters.get("a")).isNull();
    assertThat(fx.config.initialized()).isNotDone();
    assertThat(get("/").statusCode()).isEqualTo(503);
    assertThat(a.seen()).isEmpty();

    assertThat(fx.push(XdsResourceType.ENDPOINT, "e1", assignment("svc-a", a.port()))).isEmpty();
    fx.config.initialized().orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(get("/").body()).isEqualTo("hello from a");
  }

  @Test
  void aChangedEdsClusterWarmsWhileTheOldVersionKeepsServing() throws Exception {
    pushAll("a");
    Cluster old = fx.clusters.get("a");

    assertThat(
            fx.push(
                XdsResourceType.CLUSTER,
                "c2",
                edsCluster("a", "svc-a2").build(),
                staticCluster("b", b.port()).build()))
        .isEmpty();
    assertThat(fx.wanted.get(XdsResourceType.ENDPOINT)).isEqualTo(Set.of("svc-a", "svc-a2"));
    assertThat(fx.clusters.get("a")).isSameAs(old);
    assertThat(get("/").body()).isEqualTo("hello from a");

    assertThat(fx.push(XdsResourceType.ENDPOINT, "e2", assignment("svc-a2", b.port()))).isEmpty();
    await().atMost(5, TimeUnit.SECONDS).until(() -> fx.clusters.get("a") != old);
    assertThat(old.retired()).isTrue();
    assertThat(get("/").body()).isEqualTo("hello from b");
  }

  @Test
  void aRouteNamingAMissingClusterIsAcceptedAndAnswers503() throws Exception {
    pushAll("a");

    assertThat(fx.push(XdsResourceType.ROUTE, "r2", routes("rc", "nowhere"))).isEmpty();

    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("nowhere");
  }

  @Test
  void aListenerWaitsForItsRouteConfigurationBeforeItBinds() throws Exception {
    assertThat(fx.push(XdsResourceType.CLUSTER, "c1", staticCluster("b", b.port()).build()))
        .isEmpty();
    assertThat(fx.push(XdsResourceType.LISTENER, "l1", rdsListener("in", 0, "rc", "ingress")))
        .isEmpty();

    assertThat(fx.listeners.listeners()).isEmpty();
    assertThat(fx.config.initialized()).isNotDone();

    assertThat(fx.push(XdsResourceType.ROUTE, "r1", routes("rc", "b"))).isEmpty();
    fx.config.initialized().orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(get("/").body()).isEqualTo("hello from b");
  }

  @Test
  void aListenerWhoseRoutesNeverComeServesAnEmptyTableAfterTheWarmingTimeout() throws Exception {
    try (DynamicFixture quick = new DynamicFixture(java.time.Duration.ofMillis(300))) {
      assertThat(quick.push(XdsResourceType.CLUSTER, "c1", staticCluster("b", b.port()).build()))
          .isEmpty();
      assertThat(quick.push(XdsResourceType.LISTENER, "l1", rdsListener("in", 0, "rc", "ingress")))
          .isEmpty();
      assertThat(quick.listeners.listeners()).isEmpty();

      quick.config.initialized().orTimeout(5, TimeUnit.SECONDS).join();
      int port = quick.listeners.listeners().iterator().next().boundAddress().getPort();
      assertThat(status(port, "/")).isEqualTo(404); // Envoy: no route configuration, no route

      assertThat(quick.push(XdsResourceType.ROUTE, "r1", routes("rc", "b"))).isEmpty();
      assertThat(status(port, "/")).isEqualTo(200);
    }
  }

  private static int status(int port, String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
