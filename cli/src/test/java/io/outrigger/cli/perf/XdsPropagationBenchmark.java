package io.outrigger.cli.perf;

import com.google.protobuf.Message;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outrigger.api.model.NodeConfig;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.controlplane.resources.ResourceType;
import io.outrigger.proxy.xds.AdsClient;
import io.outrigger.proxy.xds.AdsClientConfig;
import io.outrigger.proxy.xds.XdsResourceType;
import io.outrigger.proxy.xds.XdsUpdateHandler;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a change takes to reach every proxy: a control plane in this process serves N discovery
 * clients (the sidecar's own {@link AdsClient}, each on its own stream and thread), a route and an
 * endpoint set are changed M times each through the control plane's resource API, and for each
 * change the time from the change until the last client has accepted it (and so ACKs it) is
 * recorded. Prints p50/p99/max per type. Run by {@code perf/xds-propagation}; not a test.
 */
public final class XdsPropagationBenchmark {
  private static final String BASE =
      """
      - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
        name: svc
        type: EDS
        connect_timeout: 1s
        eds_cluster_config: { eds_config: { ads: {} } }
      - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
        name: ingress
        address: { socket_address: { address: 127.0.0.1, port_value: 10000 } }
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
      """;

  /** One client's view: the version of each type it accepted last, and when. */
  private static final class Recorder implements XdsUpdateHandler {
    final Map<XdsResourceType, String> versions = new ConcurrentHashMap<>();
    final Map<XdsResourceType, Long> acceptedAt = new ConcurrentHashMap<>();
    volatile Subscriptions subscriptions;

    @Override
    public Optional<String> onResources(
        XdsResourceType type, String version, Map<String, ? extends Message> resources) {
      if (type == XdsResourceType.CLUSTER) {
        subscriptions.want(XdsResourceType.ENDPOINT, Set.of("svc"));
      } else if (type == XdsResourceType.LISTENER) {
        subscriptions.want(XdsResourceType.ROUTE, Set.of("local"));
      }
      acceptedAt.put(type, System.nanoTime());
      versions.put(type, version);
      return Optional.empty();
    }
  }

  private static String route(int i) {
    return """
        - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
          name: local
          virtual_hosts:
          - name: all
            domains: ["*"]
            routes:
            - match: { prefix: / }
              route: { cluster: svc, timeout: %ds }
        """
        .formatted(1 + i);
  }

  private static String endpoints(int i) {
    return """
        - "@type": type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment
          cluster_name: svc
          endpoints:
          - lb_endpoints:
            - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
            - endpoint: { address: { socket_address: { address: 127.0.0.2, port_value: %d } } }
        """
        .formatted(20000 + i, 30000 + i);
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path dir = Files.createTempDirectory("xds-propagation");
    Files.writeString(dir.resolve("base.yaml"), BASE);
    Files.writeString(dir.resolve("route.yaml"), route(0));
    Files.writeString(dir.resolve("endpoints.yaml"), endpoints(0));
    ControlPlaneOptions options =
        new ControlPlaneOptions(
            dir,
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Clock.systemUTC(),
            Map.of());
    List<AdsClient> started = new ArrayList<>();
    try (ControlPlane cp = ControlPlane.start(options)) {
      String target = "127.0.0.1:" + cp.xdsAddress().getPort();
      List<Recorder> recorders = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Recorder r = new Recorder();
        AdsClientConfig config =
            new AdsClientConfig(
                target,
                java.util.Optional.empty(),
                java.util.Map.of(),
                new NodeConfig("bench-" + i, "bench"),
                Set.of(XdsResourceType.CLUSTER, XdsResourceType.LISTENER),
                Duration.ofSeconds(15),
                AdsClientConfig.DEFAULT_BACKOFF_BASE,
                AdsClientConfig.DEFAULT_BACKOFF_MAX,
                Clock.systemUTC(),
                new SplittableRandom(i));
        AdsClient client = AdsClient.start(config, r, new SimpleMeterRegistry());
        r.subscriptions = client.subscriptions();
        started.add(client);
        recorders.add(r);
      }
      for (AdsClient c : started) {
        c.initialFetch().join();
      }
      awaitAll(cp, recorders, ResourceType.ROUTE, XdsResourceType.ROUTE, System.nanoTime());
      awaitAll(cp, recorders, ResourceType.ENDPOINT, XdsResourceType.ENDPOINT, System.nanoTime());
      long[] routeMs = new long[changes];
      long[] endpointMs = new long[changes];
      for (int i = 1; i <= changes; i++) {
        long t0 = System.nanoTime();
        cp.put(route(i), Optional.empty());
        routeMs[i - 1] = awaitAll(cp, recorders, ResourceType.ROUTE, XdsResourceType.ROUTE, t0);
        t0 = System.nanoTime();
        cp.put(endpoints(i), Optional.empty());
        endpointMs[i - 1] =
            awaitAll(cp, recorders, ResourceType.ENDPOINT, XdsResourceType.ENDPOINT, t0);
      }
      started.forEach(AdsClient::close); // before the control plane, which they would redial
      System.out.printf(
          "clients=%d changes=%d%n%s%n%s%n",
          clients, changes, line("route (RDS)", routeMs), line("endpoints (EDS)", endpointMs));
    } finally {
      started.forEach(AdsClient::close);
    }
  }

  /** Waits until every client accepted the type's published version; the time from t0, in µs. */
  private static long awaitAll(
      ControlPlane cp, List<Recorder> recorders, ResourceType cpType, XdsResourceType type, long t0)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String target = cp.targets().get("default").version(cpType);
      long last = 0;
      boolean all = true;
      for (Recorder r : recorders) {
        if (!target.equals(r.versions.get(type))) {
          all = false;
          break;
        }
        last = Math.max(last, r.acceptedAt.get(type));
      }
      if (all) {
        return (last - t0) / 1_000;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(type.shortName() + " did not reach every client in 30 s");
      }
      Thread.sleep(0, 200_000);
    }
  }

  private static String line(String what, long[] micros) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    return String.format(
        "%-16s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms",
        what,
        sorted[sorted.length / 2] / 1000.0,
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1000.0,
        sorted[sorted.length - 1] / 1000.0);
  }

  private XdsPropagationBenchmark() {}
}
