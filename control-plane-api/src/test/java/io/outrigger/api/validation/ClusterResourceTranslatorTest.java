package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.outrigger.api.model.DiscoveredCluster;
import io.outrigger.api.model.DiscoveryType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CDS resources: EDS clusters over ADS, and everything a static cluster may be. */
class ClusterResourceTranslatorTest {
  private static final String PATH = "[0]";

  @Test
  void edsClusterTakesItsServiceNameOrItsOwnName() throws Exception {
    DiscoveredCluster own =
        ClusterTranslator.translateResource(XdsProtos.edsCluster("kv").build(), PATH);
    Cluster.Builder named = XdsProtos.edsCluster("kv");
    named.getEdsClusterConfigBuilder().setServiceName("kv-service");

    assertThat(own.config().type()).isEqualTo(DiscoveryType.EDS);
    assertThat(own.config().endpoints()).isEmpty();
    assertThat(own.edsServiceName()).contains("kv");
    assertThat(ClusterTranslator.translateResource(named.build(), PATH).edsServiceName())
        .contains("kv-service");
  }

  @Test
  void staticClusterResourceHasNoServiceName() throws Exception {
    DiscoveredCluster cluster =
        ClusterTranslator.translateResource(Protos.cluster("b", "10.0.0.1").build(), PATH);

    assertThat(cluster.edsServiceName()).isEqualTo(Optional.empty());
    assertThat(cluster.config().endpoints()).hasSize(1);
  }

  @Test
  void staticBootstrapStillRefusesEds() {
    assertThatThrownBy(
            () -> ClusterTranslator.translate(XdsProtos.edsCluster("kv").build(), "clusters[0]"))
        .hasMessage(
            "clusters[0].type: EDS not supported (expected: STATIC, STRICT_DNS, LOGICAL_DNS or"
                + " ORIGINAL_DST)");
  }

  @Test
  void edsClusterRequiresAnAdsConfigSource() {
    Cluster missing =
        XdsProtos.edsCluster("kv")
            .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder())
            .build();
    Cluster api =
        XdsProtos.edsCluster("kv")
            .setEdsClusterConfig(
                Cluster.EdsClusterConfig.newBuilder()
                    .setEdsConfig(
                        ConfigSource.newBuilder().setApiConfigSource(ApiConfigSource.newBuilder())))
            .build();
    Cluster v2 =
        XdsProtos.edsCluster("kv")
            .setEdsClusterConfig(
                Cluster.EdsClusterConfig.newBuilder()
                    .setEdsConfig(XdsProtos.ads().toBuilder().setResourceApiVersion(ApiVersion.V2)))
            .build();

    assertThatThrownBy(() -> ClusterTranslator.translateResource(missing, PATH))
        .hasMessage("[0].eds_cluster_config.eds_config: required (expected: ads: {})");
    assertThatThrownBy(() -> ClusterTranslator.translateResource(api, PATH))
        .hasMessage(
            "[0].eds_cluster_config.eds_config.api_config_source: field not supported by Outrigger"
                + " (see docs/configuration.md)");
    assertThatThrownBy(() -> ClusterTranslator.translateResource(v2, PATH))
        .hasMessage(
            "[0].eds_cluster_config.eds_config.resource_api_version: V2 not supported (expected:"
                + " V3)");
  }

  @Test
  void edsClusterRefusesLoadAssignmentAndOthersRefuseEdsConfig() {
    Cluster edsWithHosts =
        XdsProtos.edsCluster("kv")
            .setLoadAssignment(Protos.cluster("kv", "10.0.0.1").getLoadAssignment())
            .build();
    Cluster staticWithEds =
        Protos.cluster("b", "10.0.0.1")
            .setEdsClusterConfig(
                Cluster.EdsClusterConfig.newBuilder().setEdsConfig(XdsProtos.ads()))
            .build();

    assertThatThrownBy(() -> ClusterTranslator.translateResource(edsWithHosts, PATH))
        .hasMessageStartingWith("[0].load_assignment: not read for an EDS cluster");
    assertThatThrownBy(() -> ClusterTranslator.translateResource(staticWithEds, PATH))
        .hasMessage("[0].eds_cluster_config: only with type: EDS (type is STATIC)");
  }

  @Test
  void anUnknownTypeIsRefusedWithEdsAmongTheAlternatives() {
    Cluster proto = Protos.cluster("b").setTypeValue(42).build();

    assertThatThrownBy(() -> ClusterTranslator.translateResource(proto, PATH))
        .hasMessage(
            "[0].type: UNRECOGNIZED not supported (expected: STATIC, STRICT_DNS, LOGICAL_DNS,"
                + " ORIGINAL_DST, or EDS)");
  }
}
