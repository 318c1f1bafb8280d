package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.LbConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OriginalDstClusterTranslatorTest {
  private static final String PATH = "static_resources.clusters[0]";

  private static Cluster.Builder passthrough() {
    return Cluster.newBuilder()
        .setName("PassthroughCluster")
        .setType(Cluster.DiscoveryType.ORIGINAL_DST)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
  }

  @Test
  void translatesOriginalDstWithEnvoysDefaults() throws Exception {
    ClusterConfig config = ClusterTranslator.translate(passthrough().build(), PATH);

    assertThat(config.type()).isEqualTo(DiscoveryType.ORIGINAL_DST);
    assertThat(config.lbConfig()).isEqualTo(LbConfig.OriginalDst.DEFAULT);
    assertThat(((LbConfig.OriginalDst) config.lbConfig()).cleanupInterval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(config.endpoints()).isEmpty();
  }

  @Test
  void readsCleanupIntervalAndHeaderOptions() throws Exception {
    Cluster proto =
        passthrough()
            .setCleanupInterval(Protos.seconds(30, 0))
            .setOriginalDstLbConfig(
                Cluster.OriginalDstLbConfig.newBuilder()
                    .setUseHttpHeader(true)
                    .setHttpHeaderName("X-Dest"))
            .build();

    assertThat(ClusterTranslator.translate(proto, PATH).lbConfig())
        .isEqualTo(new LbConfig.OriginalDst(Duration.ofSeconds(30), true, "x-dest"));
  }

  @Test
  void refusesWrongPairingsByField() {
    Cluster roundRobin = passthrough().setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build();
    Cluster cleanupOnStatic = Protos.cluster("b").setCleanupInterval(Protos.seconds(1, 0)).build();
    Cluster hosts =
        passthrough()
            .setLoadAssignment(Protos.cluster("x", "10.0.0.1").getLoadAssignment())
            .build();
    Cluster outlier = passthrough().setOutlierDetection(OutlierDetection.newBuilder()).build();
    Cluster zero = passthrough().setCleanupInterval(Protos.seconds(0, 0)).build();
    Cluster portOverride =
        passthrough()
            .setOriginalDstLbConfig(
                Cluster.OriginalDstLbConfig.newBuilder()
                    .setUpstreamPortOverride(com.google.protobuf.UInt32Value.of(80)))
            .build();

    assertThatThrownBy(() -> ClusterTranslator.translate(roundRobin, PATH))
        .hasMessage(
            PATH + ".lb_policy: ROUND_ROBIN (expected: CLUSTER_PROVIDED for type ORIGINAL_DST)");
    assertThatThrownBy(() -> ClusterTranslator.translate(cleanupOnStatic, PATH))
        .hasMessage(PATH + ".cleanup_interval: only with type: ORIGINAL_DST");
    assertThatThrownBy(() -> ClusterTranslator.translate(hosts, PATH))
        .hasMessageStartingWith(PATH + ".load_assignment: not read for an ORIGINAL_DST cluster");
    assertThatThrownBy(() -> ClusterTranslator.translate(outlier, PATH))
        .hasMessage(PATH + ".outlier_detection: not supported with type: ORIGINAL_DST yet");
    assertThatThrownBy(() -> ClusterTranslator.translate(zero, PATH))
        .hasMessage(PATH + ".cleanup_interval: 0s (expected: > 0s)");
    assertThatThrownBy(() -> ClusterTranslator.translate(portOverride, PATH))
        .hasMessage(
            PATH
                + ".original_dst_lb_config.upstream_port_override: "
                + SupportedFieldsCheck.NOT_SUPPORTED);
  }
}
