package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.ClusterProto;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import org.junit.jupiter.api.Test;

class ProtoTypesTest {
  @Test
  void findsTheDescriptorTheGeneratedClassHas() {
    assertThat(ProtoTypes.message(ClusterProto.getDescriptor(), "Cluster"))
        .isSameAs(Cluster.getDescriptor());
    assertThat(ProtoTypes.message(ClusterProto.getDescriptor(), "Cluster", "EdsClusterConfig"))
        .isSameAs(Cluster.EdsClusterConfig.getDescriptor());
  }

  @Test
  void theTypeUrlIsTheOneAnAnyOfTheGeneratedClassCarries() {
    assertThat(ProtoTypes.typeUrl(ClusterProto.getDescriptor(), "Cluster", "EdsClusterConfig"))
        .isEqualTo(
            com.google.protobuf.Any.pack(Cluster.EdsClusterConfig.getDefaultInstance())
                .getTypeUrl());
  }

  @Test
  void refusesANameTheFileDoesNotHold() {
    // OutlierDetection is a real type, but of outlier_detection.proto, not cluster.proto.
    assertThat(OutlierDetection.getDescriptor().getFile())
        .isNotSameAs(ClusterProto.getDescriptor());
    assertThatThrownBy(() -> ProtoTypes.message(ClusterProto.getDescriptor(), "OutlierDetection"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("envoy/config/cluster/v3/cluster.proto has no message OutlierDetection");
  }

  @Test
  void refusesANestedNameTheTypeDoesNotHold() {
    assertThatThrownBy(
            () -> ProtoTypes.message(ClusterProto.getDescriptor(), "Cluster", "Nope", "Deeper"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("envoy/config/cluster/v3/cluster.proto has no message Cluster.Nope.Deeper");
  }
}
