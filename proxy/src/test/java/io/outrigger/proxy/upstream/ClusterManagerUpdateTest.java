package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.netty.channel.EventLoopGroup;
import io.outrigger.api.model.DiscoveredCluster;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.api.validation.ClusterTranslator;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ClusterManager#applyClusters} and {@link ClusterManager#applyEndpoints}, no traffic. */
class ClusterManagerUpdateTest {
  private final Transport transport = Transport.NIO;
  private final EventLoopGroup group = transport.newEventLoopGroup(1, "test-cm");
  private final ProxyStats stats = new ProxyStats();
  private final List<Cluster> retired = new CopyOnWriteArrayList<>();
  private final ClusterManager manager =
      new ClusterManager(
          List.of(),
          stats,
          group,
          transport,
          new SplittableRandom(1),
          retired::add,
          Duration.ofMillis(300));

  @AfterEach
  void tearDown() {
    manager.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    stats.close();
  }

  private static DiscoveredCluster staticCluster(String name, int port, long connectTimeoutSeconds)
      throws ConfigException {
    LocalityLbEndpoints locality =
        LocalityLbEndpoints.newBuilder()
            .addLbEndpoints(
                LbEndpoint.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setAddress(address(port))))
            .build();
    ClusterLoadAssignment assignment =
        ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(locality).build();
    return ClusterTranslator.translateResource(
        io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()
            .setName(name)
            .setConnectTimeout(
                com.google.protobuf.Duration.newBuilder().setSeconds(connectTimeoutSeconds))
            .setLoadAssignment(assignment)
            .build(),
        "");
  }

  private static DiscoveredCluster edsCluster(String name) throws ConfigException {
    return ClusterTranslator.translateResource(
        io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()
            .setName(name)
            .setType(DiscoveryType.EDS)
            .setEdsClusterConfig(
                io.envoyproxy.envoy.config.cluster.v3.Cluster.EdsClusterConfig.newBuilder()
                    .setEdsConfig(
                        ConfigSource.newBuilder()
                            .setAds(AggregatedConfigSource.getDefaultInstance())))
            .build(),
        "");
  }

  private static Address address(int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port))
        .build();
  }

  private void apply(DiscoveredCluster... clusters) {
    Map<String, DiscoveredCluster> next = new LinkedHashMap<>();
    for (DiscoveredCluster c : clusters) {
      next.put(c.name(), c);
    }
    manager.applyClusters(next);
  }

  @Test
  void anUnchangedClusterKeepsItsObjectAndAChangedOneIsReplacedAndRetired() throws Exception {
    apply(staticCluster("s", 1001, 1));
    Cluster first = manager.get("s");
    assertThat(first.hosts().hosts()).hasSize(1);

    apply(staticCluster("s", 1001, 1));
    assertThat(manager.get("s")).isSameAs(first);
    assertThat(retired).isEmpty();

    apply(staticCluster("s", 1001, 2));
    assertThat(manager.get("s")).isNotSameAs(first);
    assertThat(manager.get("s").config().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(first.retired()).isTrue();
    assertThat(retired).containsExactly(first);
  }

  @Test
  void aClustersLimitGaugesReadItsCurrentVersionAndGoWithIt() throws Exception {
    apply(limitedCluster("s", 10), staticCluster("t", 1002, 1));
    assertThat(remainingRequests("s")).containsExactly(10.0);

    apply(limitedCluster("s", 20), staticCluster("t", 1002, 1));
    assertThat(remainingRequests("s")).containsExactly(20.0);

    apply(staticCluster("t", 1002, 1));
    assertThat(remainingRequests("s")).isEmpty();
    assertThat(stats.registry().find("circuit_breakers_rq_open").tag("cluster", "s").gauges())
        .isEmpty();
    assertThat(stats.registry().find("circuit_breakers_rq_open").tag("cluster", "t").gauges())
        .hasSize(1);
  }

  private List<Double> remainingRequests(String cluster) {
    return stats
        .registry()
        .find("circuit_breakers_remaining_rq")
        .tag("cluster", cluster)
        .gauges()
        .stream()
        .map(io.micrometer.core.instrument.Gauge::value)
        .toList();
  }

  private static DiscoveredCluster limitedCluster(String name, int maxRequests)
      throws ConfigException {
    var thresholds =
        io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds.newBuilder()
            .setMaxRequests(com.google.protobuf.UInt32Value.of(maxRequests))
            .setTrackRemaining(true);
    return ClusterTranslator.translateResource(
        io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()
            .setName(name)
            .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(name)
                    .addEndpoints(
                        LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(
                                LbEndpoint.newBuilder()
                                    .setEndpoint(Endpoint.newBuilder().setAddress(address(1001))))))
            .setCircuitBreakers(
                io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.newBuilder()
                    .addThresholds(thresholds))
            .build(),
        "");
  }

  @Test
  void aVanishedClusterIsRemovedAndRetired() throws Exception {
    apply(staticCluster("s", 1001, 1), staticCluster("t", 1002, 1));
    Cluster s = manager.get("s");

    apply(staticCluster("t", 1002, 1));

    assertThat(manager.get("s")).isNull();
    assertThat(manager.clusters()).extracting(Cluster::name).containsExactly("t");
    assertThat(retired).containsExactly(s);
  }

  @Test
  void anEdsClusterJoinsWhenItsEndpointsArriveAndKeepsThemAcrossUpdates() throws Exception {
    apply(edsCluster("e"));
    assertThat(manager.get("e")).isNull();
    assertThat(manager.edsServiceNames()).containsExactly("e");
    assertThat(manager.warmed()).isNotDone();

    manager.applyEndpoints("e", List.of(endpoint(2001), endpoint(2002)));

    await().atMost(2, TimeUnit.SECONDS).until(() -> manager.get("e") != null);
    assertThat(manager.get("e").hosts().hosts()).hasSize(2);
    manager.applyEndpoints("e", List.of(endpoint(2002)));
    await().atMost(2, TimeUnit.SECONDS).until(() -> manager.get("e").hosts().hosts().size() == 1);
  }

  @Test
  void anEdsClusterWithoutEndpointsServesEmptyAfterTheWarmingTimeout() throws Exception {
    apply(edsCluster("e"));

    manager.warmed().get(2, TimeUnit.SECONDS);

    assertThat(manager.get("e")).isNotNull();
    assertThat(manager.get("e").hosts().isEmpty()).isTrue();
  }

  @Test
  void aNewEdsClusterUsesTheAssignmentAlreadyKnown() throws Exception {
    manager.applyEndpoints("e", List.of(endpoint(2001)));

    apply(edsCluster("e"));

    await().atMost(2, TimeUnit.SECONDS).until(() -> manager.get("e") != null);
    assertThat(manager.get("e").hosts().hosts()).hasSize(1);
  }

  private static EndpointConfig endpoint(int port) {
    return new EndpointConfig(new SocketAddressConfig("127.0.0.1", port), 1);
  }

  @Test
  void cdsLeavesTheBootstrapClustersAloneAndRefusesTheirNames() throws Exception {
    ClusterManager withStatic =
        new ClusterManager(
            List.of(staticCluster("boot", 1001, 1).config()),
            stats,
            group,
            transport,
            new SplittableRandom(1),
            retired::add,
            Duration.ofMillis(300));
    try {
      Cluster boot = withStatic.get("boot");

      withStatic.applyClusters(Map.of("s", staticCluster("s", 1002, 1)));
      assertThat(withStatic.get("boot")).isSameAs(boot);
      assertThatThrownBy(
              () -> withStatic.applyClusters(Map.of("boot", staticCluster("boot", 1003, 1))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cluster boot: name: a static cluster");
      withStatic.applyClusters(Map.of());

      assertThat(withStatic.clusters()).containsExactly(boot);
      assertThat(retired).extracting(Cluster::name).containsExactly("s");
    } finally {
      withStatic.close();
    }
  }
}
