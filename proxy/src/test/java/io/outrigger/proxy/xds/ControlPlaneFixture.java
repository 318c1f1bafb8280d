package io.outrigger.proxy.xds;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real java-control-plane ({@link V3DiscoveryServer} over a {@link SimpleCache} keyed by the
 * node's cluster) on loopback, recording every request it receives. It can be stopped and started
 * again on the same port with a fresh cache, as a restarted control plane.
 */
final class ControlPlaneFixture implements AutoCloseable {
  static final String GROUP = "kv";

  private final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  private SimpleCache<String> cache;
  private Server server;
  private int port;

  ControlPlaneFixture() throws IOException {
    start(0);
  }

  /** Starts again on the same port with an empty cache and no recorded requests. */
  void restart() throws IOException {
    start(port);
  }

  private void start(int wantedPort) throws IOException {
    requests.clear();
    cache = new SimpleCache<>(node -> node.getCluster());
    DiscoveryServerCallbacks recorder =
        new DiscoveryServerCallbacks() {
          @Override
          public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
            requests.add(request);
          }

          @Override
          public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
        };
    V3DiscoveryServer discovery = new V3DiscoveryServer(recorder, cache);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", wantedPort))
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .addService(discovery.getAggregatedDiscoveryServiceImpl())
            .build()
            .start();
    port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** Publishes the group's snapshot at {@code version} for every type. */
  void publish(
      String version,
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      List<RouteConfiguration> routes) {
    cache.setSnapshot(
        GROUP, Snapshot.create(clusters, endpoints, listeners, routes, List.of(), version));
  }

  /** Every request received since the last (re)start, in order. */
  List<DiscoveryRequest> requests() {
    return List.copyOf(requests);
  }

  List<DiscoveryRequest> requests(XdsResourceType type) {
    return requests.stream().filter(r -> r.getTypeUrl().equals(type.typeUrl())).toList();
  }

  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  static Cluster edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(
            Cluster.EdsClusterConfig.newBuilder()
                .setEdsConfig(
                    ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
        .build();
  }

  static ClusterLoadAssignment endpoints(String name) {
    return ClusterLoadAssignment.newBuilder().setClusterName(name).build();
  }

  static Listener listener(String name) {
    return Listener.newBuilder().setName(name).build();
  }

  static RouteConfiguration routes(String name) {
    return RouteConfiguration.newBuilder().setName(name).build();
  }
}
