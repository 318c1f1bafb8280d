package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.validation.ResourceSetTranslator.Located;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A control plane's snapshot validated whole: each resource, then names and references. */
class ResourceSetTranslatorTest {
  private static final RouteConfiguration ROUTES =
      RouteConfiguration.newBuilder()
          .setName("routes")
          .addVirtualHosts(HttpProtos.virtualHost(HttpProtos.route("/", "kv")))
          .build();
  private static final Listener LISTENER = HttpProtos.listener(XdsProtos.rdsHcm("routes"));
  private static final Cluster CLUSTER = XdsProtos.edsCluster("kv").build();
  private static final ClusterLoadAssignment ASSIGNMENT = XdsProtos.assignment("kv", "10.0.0.1");

  private static <T extends com.google.protobuf.Message> List<Located<T>> at(
      String file, T... protos) {
    List<Located<T>> out = new java.util.ArrayList<>();
    for (int i = 0; i < protos.length; i++) {
      out.add(new Located<>(protos[i], file, "[" + i + "]"));
    }
    return out;
  }

  @Test
  void translatesAConsistentSet() throws Exception {
    ResourceSetTranslator.Translated set =
        ResourceSetTranslator.translate(
            at("l.yaml", LISTENER),
            at("r.yaml", ROUTES),
            at("c.yaml", CLUSTER),
            at("e.yaml", ASSIGNMENT),
            Set.of());

    assertThat(set.listeners()).containsOnlyKeys("in");
    assertThat(set.listeners().get("in").filterChains().get(0).filters().get(0))
        .extracting("routeSource")
        .isEqualTo(new RouteSource.Rds("routes"));
    assertThat(set.routes()).containsOnlyKeys("routes");
    assertThat(set.clusters().get("kv").edsServiceName()).contains("kv");
    assertThat(set.assignments().get("kv").endpoints()).hasSize(1);
  }

  @Test
  void refusesAnUnknownRouteConfigurationAtTheListenersField() {
    assertThatThrownBy(
            () ->
                ResourceSetTranslator.translate(
                    at("l.yaml", LISTENER),
                    List.of(),
                    at("c.yaml", CLUSTER),
                    at("e.yaml", ASSIGNMENT),
                    Set.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.source()).isEqualTo("l.yaml");
              assertThat(e.fieldPath())
                  .isEqualTo("[0].filter_chains[0].filters[0].typed_config.rds.route_config_name");
              assertThat(e.reason()).isEqualTo("unknown route configuration \"routes\"");
            });
  }

  @Test
  void refusesARouteToAnUnknownCluster() {
    assertThatThrownBy(
            () ->
                ResourceSetTranslator.translate(
                    at("l.yaml", LISTENER), at("r.yaml", ROUTES), List.of(), List.of(), Set.of()))
        .hasMessage("r.yaml: [0].virtual_hosts[0].routes[0].route.cluster: unknown cluster \"kv\"");
  }

  @Test
  void refusesAnEdsClusterWithoutAssignmentUnlessEndpointsAreRegistered() throws Exception {
    assertThatThrownBy(
            () ->
                ResourceSetTranslator.translate(
                    List.of(), List.of(), at("c.yaml", CLUSTER), List.of(), Set.of()))
        .hasMessageStartingWith(
            "c.yaml: [0].eds_cluster_config: no ClusterLoadAssignment named \"kv\"");
    assertThat(
            ResourceSetTranslator.translate(
                    List.of(), List.of(), at("c.yaml", CLUSTER), List.of(), Set.of("kv"))
                .clusters())
        .containsOnlyKeys("kv");
  }

  @Test
  void refusesDuplicateNamesAcrossFiles() {
    List<Located<Cluster>> clusters =
        List.of(new Located<>(CLUSTER, "a.yaml", "[0]"), new Located<>(CLUSTER, "b.yaml", "[2]"));

    assertThatThrownBy(
            () ->
                ResourceSetTranslator.translate(
                    List.of(), List.of(), clusters, at("e.yaml", ASSIGNMENT), Set.of()))
        .hasMessage("b.yaml: [2].name: duplicate cluster name \"kv\" (first at a.yaml [0])");
  }

  @Test
  void refusesAnUnnamedRouteConfigurationAndAttributesTranslationErrors() {
    RouteConfiguration unnamed = ROUTES.toBuilder().clearName().build();
    Listener badPort = LISTENER.toBuilder().setAddress(Protos.address("127.0.0.1", 70000)).build();

    assertThatThrownBy(
            () ->
                ResourceSetTranslator.translate(
                    List.of(), at("r.yaml", unnamed), List.of(), List.of(), Set.of()))
        .hasMessageStartingWith("r.yaml: [0].name: required");
    assertThatThrownBy(
            () ->
                ResourceSetTranslator.translate(
                    at("l.yaml", badPort), List.of(), List.of(), List.of(), Set.of()))
        .hasMessageStartingWith("l.yaml: [0].address.socket_address.port_value:");
  }
}
