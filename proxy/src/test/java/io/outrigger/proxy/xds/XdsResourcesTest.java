package io.outrigger.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import org.junit.jupiter.api.Test;

class XdsResourcesTest {
  @Test
  void keysEndpointsByClusterName() throws Exception {
    var map =
        XdsResources.decode(
            XdsResourceType.ENDPOINT,
            List.of(Any.pack(ClusterLoadAssignment.newBuilder().setClusterName("kv").build())));

    assertThat(map).containsOnlyKeys("kv");
  }

  @Test
  void refusesAResourceOfAnotherTypeByIndex() {
    List<Any> resources =
        List.of(
            Any.pack(Cluster.newBuilder().setName("a").build()),
            Any.pack(Listener.newBuilder().setName("b").build()));

    assertThatThrownBy(() -> XdsResources.decode(XdsResourceType.CLUSTER, resources))
        .hasMessage(
            "CDS resources[1]: type type.googleapis.com/envoy.config.listener.v3.Listener"
                + " (expected: type.googleapis.com/envoy.config.cluster.v3.Cluster)");
  }

  @Test
  void refusesDuplicateAndMissingNames() {
    Any a = Any.pack(Cluster.newBuilder().setName("a").build());

    assertThatThrownBy(() -> XdsResources.decode(XdsResourceType.CLUSTER, List.of(a, a)))
        .hasMessage("CDS resources[1]: duplicate name \"a\"");
    assertThatThrownBy(
            () ->
                XdsResources.decode(
                    XdsResourceType.CLUSTER, List.of(Any.pack(Cluster.getDefaultInstance()))))
        .hasMessage("CDS resources[0]: no name");
  }

  @Test
  void versionHashIsStableAndFitsADouble() {
    long hash = XdsClientStats.versionHash("3f2a91c0");

    assertThat(hash).isEqualTo(XdsClientStats.versionHash("3f2a91c0")).isPositive();
    assertThat((long) (double) hash).isEqualTo(hash);
    assertThat(XdsClientStats.versionHash("")).isZero();
  }
}
