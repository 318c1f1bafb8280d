package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.LeastRequestLbConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.MaglevLbConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.RingHashLbConfig;
import io.envoyproxy.envoy.config.core.v3.RuntimeDouble;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.LbPolicy;
import org.junit.jupiter.api.Test;

class LbConfigTranslatorTest {
  private static final String PATH = "static_resources.clusters[0]";

  private static Cluster.Builder cluster(Cluster.LbPolicy policy) {
    return Protos.cluster("b", "10.0.0.1").setLbPolicy(policy);
  }

  private static LbConfig translate(Cluster.Builder proto) throws ConfigException {
    return ClusterTranslator.translate(proto.build(), PATH).lbConfig();
  }

  private static void assertRefused(Cluster.Builder proto, String message) {
    assertThatThrownBy(() -> translate(proto))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void fillsEnvoyDefaultsForEveryPolicy() throws Exception {
    assertThat(translate(Protos.cluster("b", "10.0.0.1"))).isEqualTo(LbConfig.RoundRobin.INSTANCE);
    assertThat(translate(cluster(Cluster.LbPolicy.LEAST_REQUEST)))
        .isEqualTo(new LbConfig.LeastRequest(2, 1.0));
    assertThat(translate(cluster(Cluster.LbPolicy.RANDOM))).isEqualTo(LbConfig.Random.INSTANCE);
    assertThat(translate(cluster(Cluster.LbPolicy.RING_HASH)))
        .isEqualTo(new LbConfig.RingHash(1024, 8_388_608));
    assertThat(translate(cluster(Cluster.LbPolicy.MAGLEV))).isEqualTo(new LbConfig.Maglev(65537));
    assertThat(
            ClusterTranslator.translate(cluster(Cluster.LbPolicy.MAGLEV).build(), PATH).lbPolicy())
        .isEqualTo(LbPolicy.MAGLEV);
  }

  @Test
  void readsEachPolicysSettings() throws Exception {
    assertThat(
            translate(
                cluster(Cluster.LbPolicy.LEAST_REQUEST)
                    .setLeastRequestLbConfig(
                        LeastRequestLbConfig.newBuilder()
                            .setChoiceCount(UInt32Value.of(3))
                            .setActiveRequestBias(
                                RuntimeDouble.newBuilder()
                                    .setDefaultValue(0.5)
                                    .setRuntimeKey("upstream.bias")))))
        .isEqualTo(new LbConfig.LeastRequest(3, 0.5));
    assertThat(
            translate(
                cluster(Cluster.LbPolicy.RING_HASH)
                    .setRingHashLbConfig(
                        RingHashLbConfig.newBuilder()
                            .setMinimumRingSize(UInt64Value.of(64))
                            .setMaximumRingSize(UInt64Value.of(4096)))))
        .isEqualTo(new LbConfig.RingHash(64, 4096));
    assertThat(
            translate(
                cluster(Cluster.LbPolicy.MAGLEV)
                    .setMaglevLbConfig(
                        MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(5000011)))))
        .isEqualTo(new LbConfig.Maglev(5000011));
  }

  @Test
  void refusesClusterProvidedWithoutOriginalDstAndLoadBalancingPolicyConfig() {
    assertRefused(
        cluster(Cluster.LbPolicy.CLUSTER_PROVIDED),
        PATH + ".lb_policy: CLUSTER_PROVIDED only with type: ORIGINAL_DST (type is STATIC)");
    assertRefused(
        cluster(Cluster.LbPolicy.LOAD_BALANCING_POLICY_CONFIG),
        PATH
            + ".lb_policy: LOAD_BALANCING_POLICY_CONFIG not supported (expected: ROUND_ROBIN,"
            + " LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV or CLUSTER_PROVIDED)");
  }

  @Test
  void refusesConfigOfAnotherPolicy() {
    assertRefused(
        Protos.cluster("b", "10.0.0.1").setRingHashLbConfig(RingHashLbConfig.getDefaultInstance()),
        PATH
            + ".ring_hash_lb_config: configures RING_HASH but lb_policy is ROUND_ROBIN (expected:"
            + " lb_policy: RING_HASH, or remove it)");
    assertRefused(
        cluster(Cluster.LbPolicy.RING_HASH)
            .setLeastRequestLbConfig(LeastRequestLbConfig.getDefaultInstance()),
        PATH
            + ".least_request_lb_config: configures LEAST_REQUEST but lb_policy is RING_HASH"
            + " (expected: lb_policy: LEAST_REQUEST, or remove it)");
    assertRefused(
        cluster(Cluster.LbPolicy.RANDOM).setMaglevLbConfig(MaglevLbConfig.getDefaultInstance()),
        PATH
            + ".maglev_lb_config: configures MAGLEV but lb_policy is RANDOM (expected: lb_policy:"
            + " MAGLEV, or remove it)");
  }

  @Test
  void refusesLeastRequestSettingsOutOfRange() {
    assertRefused(
        cluster(Cluster.LbPolicy.LEAST_REQUEST)
            .setLeastRequestLbConfig(
                LeastRequestLbConfig.newBuilder().setChoiceCount(UInt32Value.of(1))),
        PATH + ".least_request_lb_config.choice_count: 1 (expected: >= 2)");
    assertRefused(
        cluster(Cluster.LbPolicy.LEAST_REQUEST)
            .setLeastRequestLbConfig(
                LeastRequestLbConfig.newBuilder()
                    .setActiveRequestBias(
                        RuntimeDouble.newBuilder().setDefaultValue(-0.5).setRuntimeKey("k"))),
        PATH
            + ".least_request_lb_config.active_request_bias.default_value: -0.5 (expected: a"
            + " finite number >= 0)");
    assertRefused(
        cluster(Cluster.LbPolicy.LEAST_REQUEST)
            .setLeastRequestLbConfig(
                LeastRequestLbConfig.newBuilder()
                    .setActiveRequestBias(RuntimeDouble.newBuilder().setDefaultValue(2.0))),
        PATH
            + ".least_request_lb_config.active_request_bias.runtime_key: required (Outrigger has"
            + " no runtime, so default_value always applies)");
  }

  @Test
  void refusesSlowStartAndRoundRobinConfig() {
    assertRefused(
        cluster(Cluster.LbPolicy.LEAST_REQUEST)
            .setLeastRequestLbConfig(
                LeastRequestLbConfig.newBuilder()
                    .setSlowStartConfig(Cluster.SlowStartConfig.getDefaultInstance())),
        PATH
            + ".least_request_lb_config.slow_start_config: field not supported by Outrigger (see"
            + " docs/configuration.md)");
    assertRefused(
        Protos.cluster("b", "10.0.0.1")
            .setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.getDefaultInstance()),
        PATH
            + ".round_robin_lb_config: field not supported by Outrigger (see docs/configuration.md)");
  }

  @Test
  void refusesRingSizesOutOfRangeAndMurmurHash2() {
    assertRefused(
        cluster(Cluster.LbPolicy.RING_HASH)
            .setRingHashLbConfig(
                RingHashLbConfig.newBuilder().setMaximumRingSize(UInt64Value.of(8_388_609))),
        PATH + ".ring_hash_lb_config.maximum_ring_size: 8388609 (expected: 1..8388608)");
    assertRefused(
        cluster(Cluster.LbPolicy.RING_HASH)
            .setRingHashLbConfig(
                RingHashLbConfig.newBuilder()
                    .setMinimumRingSize(UInt64Value.of(4096))
                    .setMaximumRingSize(UInt64Value.of(1024))),
        PATH
            + ".ring_hash_lb_config.minimum_ring_size: 4096 (expected: <= maximum_ring_size"
            + " 1024)");
    assertRefused(
        cluster(Cluster.LbPolicy.RING_HASH)
            .setRingHashLbConfig(
                RingHashLbConfig.newBuilder()
                    .setHashFunction(RingHashLbConfig.HashFunction.MURMUR_HASH_2)),
        PATH
            + ".ring_hash_lb_config.hash_function: MURMUR_HASH_2 not supported (expected: XX_HASH,"
            + " the default)");
  }

  @Test
  void refusesMaglevTableSizeThatIsNotAPrimeOrTooLarge() {
    assertRefused(
        cluster(Cluster.LbPolicy.MAGLEV)
            .setMaglevLbConfig(MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(65536))),
        PATH + ".maglev_lb_config.table_size: 65536 (expected: a prime number <= 5000011)");
    assertRefused(
        cluster(Cluster.LbPolicy.MAGLEV)
            .setMaglevLbConfig(MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(5000077))),
        PATH + ".maglev_lb_config.table_size: 5000077 (expected: a prime number <= 5000011)");
  }
}
