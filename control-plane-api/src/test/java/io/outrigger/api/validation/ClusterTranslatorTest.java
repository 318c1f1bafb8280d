package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.api.model.SocketAddressConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterTranslatorTest {
  private static final String PATH = "static_resources.clusters[0]";
  private static final String FIRST_ENDPOINT =
      PATH + ".load_assignment.endpoints[0].lb_endpoints[0]";

  @Test
  void translatesStaticClusterWithEnvoyDefaults() throws Exception {
    ClusterConfig config =
        ClusterTranslator.translate(Protos.cluster("b", "10.0.0.1", "10.0.0.2").build(), PATH);

    assertThat(config.type()).isEqualTo(DiscoveryType.STATIC);
    assertThat(config.connectTimeout()).isEqualTo(ClusterConfig.DEFAULT_CONNECT_TIMEOUT);
    assertThat(config.dnsLookupFamily()).isEqualTo(DnsLookupFamily.AUTO);
    assertThat(config.dnsRefreshRate()).isEqualTo(ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
    assertThat(config.perConnectionBufferLimitBytes())
        .isEqualTo(ClusterConfig.DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES);
    assertThat(config.endpoints())
        .containsExactly(
            new EndpointConfig(new SocketAddressConfig("10.0.0.1", 8080), 1),
            new EndpointConfig(new SocketAddressConfig("10.0.0.2", 8080), 1));
  }

  @Test
  void translatesDnsClusterSettingsAndWeights() throws Exception {
    Cluster.Builder proto =
        Protos.cluster("b", "backend.svc")
            .setType(Cluster.DiscoveryType.STRICT_DNS)
            .setConnectTimeout(Protos.seconds(0, 250_000_000))
            .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
            .setDnsRefreshRate(Protos.seconds(30, 0))
            .setPerConnectionBufferLimitBytes(UInt32Value.of(4096));
    proto
        .getLoadAssignmentBuilder()
        .getEndpointsBuilder(0)
        .getLbEndpointsBuilder(0)
        .setLoadBalancingWeight(UInt32Value.of(7));

    ClusterConfig config = ClusterTranslator.translate(proto.build(), PATH);

    assertThat(config.type()).isEqualTo(DiscoveryType.STRICT_DNS);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.dnsLookupFamily()).isEqualTo(DnsLookupFamily.V4_ONLY);
    assertThat(config.dnsRefreshRate()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.perConnectionBufferLimitBytes()).isEqualTo(4096);
    assertThat(config.endpoints())
        .containsExactly(new EndpointConfig(new SocketAddressConfig("backend.svc", 8080), 7));
  }

  @Test
  void refusesHostnameInStaticCluster() {
    assertThatThrownBy(
            () -> ClusterTranslator.translate(Protos.cluster("b", "backend.svc").build(), PATH))
        .hasMessage(
            FIRST_ENDPOINT
                + ".endpoint.address.socket_address.address: \"backend.svc\" is not an IP address (a"
                + " STATIC cluster takes IP addresses; use STRICT_DNS or LOGICAL_DNS for host names)");
  }

  @Test
  void refusesLogicalDnsWithoutExactlyOneEndpoint() {
    Cluster proto =
        Protos.cluster("b", "a.svc", "b.svc").setType(Cluster.DiscoveryType.LOGICAL_DNS).build();

    assertThatThrownBy(() -> ClusterTranslator.translate(proto, PATH))
        .hasMessage(PATH + ".load_assignment: LOGICAL_DNS takes exactly one endpoint, got 2");
  }

  @Test
  void refusesEdsAndClusterProvidedLbPolicyWithoutOriginalDst() {
    Cluster eds = Protos.cluster("b").setType(Cluster.DiscoveryType.EDS).build();
    Cluster clusterProvided =
        Protos.cluster("b").setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).build();

    assertThatThrownBy(() -> ClusterTranslator.translate(eds, PATH))
        .hasMessage(
            PATH
                + ".type: EDS not supported (expected: STATIC, STRICT_DNS, LOGICAL_DNS or"
                + " ORIGINAL_DST)");
    assertThatThrownBy(() -> ClusterTranslator.translate(clusterProvided, PATH))
        .hasMessage(
            PATH + ".lb_policy: CLUSTER_PROVIDED only with type: ORIGINAL_DST (type is STATIC)");
  }

  @Test
  void refusesZeroConnectTimeoutAndZeroWeight() {
    Cluster zeroTimeout = Protos.cluster("b").setConnectTimeout(Protos.seconds(0, 0)).build();
    Cluster.Builder zeroWeight = Protos.cluster("b", "10.0.0.1");
    zeroWeight
        .getLoadAssignmentBuilder()
        .getEndpointsBuilder(0)
        .getLbEndpointsBuilder(0)
        .setLoadBalancingWeight(UInt32Value.of(0));

    assertThatThrownBy(() -> ClusterTranslator.translate(zeroTimeout, PATH))
        .hasMessage(PATH + ".connect_timeout: 0s (expected: > 0s)");
    assertThatThrownBy(() -> ClusterTranslator.translate(zeroWeight.build(), PATH))
        .hasMessage(FIRST_ENDPOINT + ".load_balancing_weight: 0 (expected: 1..2147483647)");
  }

  @Test
  void refusesHighPriorityCircuitBreakersEndpointPriorityAndLocalityWeightByName() {
    Cluster breakers =
        Protos.cluster("b")
            .setCircuitBreakers(
                CircuitBreakers.newBuilder()
                    .addThresholds(
                        CircuitBreakers.Thresholds.newBuilder()
                            .setPriority(io.envoyproxy.envoy.config.core.v3.RoutingPriority.HIGH)))
            .build();
    Cluster.Builder priority = Protos.cluster("b", "10.0.0.1");
    priority.getLoadAssignmentBuilder().getEndpointsBuilder(0).setPriority(1);
    Cluster.Builder localityWeight = Protos.cluster("b", "10.0.0.1");
    LocalityLbEndpoints.Builder locality =
        localityWeight.getLoadAssignmentBuilder().getEndpointsBuilder(0);
    locality.setLoadBalancingWeight(UInt32Value.of(2));

    assertThatThrownBy(() -> ClusterTranslator.translate(breakers, PATH))
        .hasMessageStartingWith(
            PATH
                + ".circuit_breakers.thresholds[0].priority: HIGH not supported (expected: DEFAULT");
    assertThatThrownBy(() -> ClusterTranslator.translate(priority.build(), PATH))
        .hasMessage(
            PATH + ".load_assignment.endpoints[0].priority: " + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(() -> ClusterTranslator.translate(localityWeight.build(), PATH))
        .hasMessage(
            PATH
                + ".load_assignment.endpoints[0].load_balancing_weight: "
                + SupportedFieldsCheck.NOT_SUPPORTED);
  }
}
