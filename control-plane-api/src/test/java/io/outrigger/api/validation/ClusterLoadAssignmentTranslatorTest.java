package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.outrigger.api.model.ClusterLoadAssignmentConfig;
import org.junit.jupiter.api.Test;

/** EDS resources. */
class ClusterLoadAssignmentTranslatorTest {
  @Test
  void flattensLocalitiesIntoEndpoints() throws Exception {
    ClusterLoadAssignment proto =
        XdsProtos.assignment("kv", "10.0.0.1", "10.0.0.2").toBuilder()
            .addEndpoints(XdsProtos.assignment("kv", "10.0.0.3").getEndpoints(0))
            .build();

    ClusterLoadAssignmentConfig config = ClusterLoadAssignmentTranslator.translate(proto, "[1]");

    assertThat(config.clusterName()).isEqualTo("kv");
    assertThat(config.endpoints())
        .extracting(e -> e.address().address())
        .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
  }

  @Test
  void refusesAMissingNameAndHostNames() {
    ClusterLoadAssignment unnamed = XdsProtos.assignment("", "10.0.0.1");
    ClusterLoadAssignment hostName = XdsProtos.assignment("kv", "kv.svc");

    assertThatThrownBy(() -> ClusterLoadAssignmentTranslator.translate(unnamed, "[1]"))
        .hasMessageStartingWith("[1].cluster_name: required");
    assertThatThrownBy(() -> ClusterLoadAssignmentTranslator.translate(hostName, "[1]"))
        .hasMessageStartingWith(
            "[1].endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address:");
  }

  @Test
  void refusesUnsupportedFieldsByName() {
    ClusterLoadAssignment proto =
        XdsProtos.assignment("kv", "10.0.0.1").toBuilder()
            .setPolicy(ClusterLoadAssignment.Policy.newBuilder().setWeightedPriorityHealth(true))
            .build();

    assertThatThrownBy(() -> ClusterLoadAssignmentTranslator.translate(proto, "[1]"))
        .hasMessage("[1].policy: field not supported by Outrigger (see docs/configuration.md)");
  }
}
