package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.Node;
import org.junit.jupiter.api.Test;

class SupportedFieldsTest {
  @Test
  void listsTranslatedAndIgnoredFieldsPerType() {
    assertThat(SupportedFields.rule(Cluster.getDescriptor(), "connect_timeout"))
        .hasValueSatisfying(
            r -> assertThat(r.treatment()).isEqualTo(SupportedFields.Treatment.TRANSLATED));
    assertThat(SupportedFields.rule(Cluster.getDescriptor(), "metadata"))
        .hasValueSatisfying(
            r -> assertThat(r.treatment()).isEqualTo(SupportedFields.Treatment.IGNORED));
    assertThat(SupportedFields.rule(Cluster.getDescriptor(), "lb_subset_config")).isEmpty();
    assertThat(SupportedFields.messageTypes()).contains("envoy.config.bootstrap.v3.Bootstrap");
  }

  @Test
  void namesTypesByTheirFilesDescriptors() {
    // The tables find their types by name in the outer classes' file descriptors (ProtoTypes); a
    // wrong name would fail the class initialisation, a wrong file or nesting would list another
    // type.
    assertThat(SupportedFields.messageTypes())
        .contains(
            "envoy.config.bootstrap.v3.Bootstrap.StaticResources",
            "envoy.config.cluster.v3.Cluster.EdsClusterConfig",
            "envoy.config.cluster.v3.CircuitBreakers.Thresholds.RetryBudget",
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
                + ".UpgradeConfig",
            "envoy.extensions.filters.http.rbac.v3.RBAC",
            "envoy.extensions.filters.network.rbac.v3.RBAC");
    assertThat(SupportedFields.rules(Cluster.EdsClusterConfig.getDescriptor()))
        .containsKeys("eds_config", "service_name");
  }

  @Test
  void doesNotLookInsideIgnoredFields() throws Exception {
    Node node =
        Node.newBuilder()
            .setId("n")
            .setLocality(Locality.newBuilder().setRegion("eu"))
            .setMetadata(
                Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue("v").build()))
            .build();

    SupportedFieldsCheck.check(node, "node");
  }

  @Test
  void refusesSetFieldOutsideTheTableWithItsPath() {
    Cluster cluster =
        Cluster.newBuilder()
            .setName("c")
            .setMetadata(Metadata.getDefaultInstance())
            .setRespectDnsTtl(true)
            .build();

    assertThatThrownBy(() -> SupportedFieldsCheck.check(cluster, "clusters[3]"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "clusters[3].respect_dns_ttl: field not supported by Outrigger (see docs/configuration.md)");
  }
}
