package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.outrigger.api.validation.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files of xDS resources: a YAML list of {@code @type}d resources, refused with line and field. */
class ResourceFileLoaderTest {
  static final String RESOURCES =
      """
      - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
        name: kv
        type: EDS
        connect_timeout: 0.25s
        eds_cluster_config:
          eds_config: { ads: {} }
      - "@type": type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment
        cluster_name: kv
        endpoints:
        - lb_endpoints:
          - endpoint:
              address:
                socket_address: { address: 127.0.0.1, port_value: "${KV_PORT:-8080}" }
      - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
        name: routes
        virtual_hosts:
        - name: all
          domains: ["*"]
          routes:
          - match: { prefix: / }
            route: { cluster: kv }
      - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
        name: ingress
        address:
          socket_address: { address: 127.0.0.1, port_value: 10000 }
        filter_chains:
        - filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stat_prefix: ingress
              rds: { route_config_name: routes, config_source: { ads: {} } }
              http_filters:
              - name: envoy.filters.http.router
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
      """;

  @Test
  void readsEveryResourceTypeInFileOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, RESOURCES);

    ResourceFile loaded = ResourceFileLoader.load(file, Map.of("KV_PORT", "9090"));

    assertThat(loaded.source()).isEqualTo(file.toString());
    assertThat(loaded.resources())
        .extracting(m -> m.getClass().getSimpleName())
        .containsExactly("Cluster", "ClusterLoadAssignment", "RouteConfiguration", "Listener");
    ClusterLoadAssignment assignment = (ClusterLoadAssignment) loaded.resources().get(1);
    assertThat(assignment.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress())
        .extracting(a -> a.getSocketAddress().getPortValue())
        .isEqualTo(9090);
    assertThat(((Cluster) loaded.resources().get(0)).getType())
        .isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(loaded.lineOf("[3].address.socket_address")).isEqualTo(25);
    assertThat(loaded.lineOf("[2]")).isEqualTo(14);
  }

  @Test
  void refusesUnknownFieldsWithFileLineAndPath() {
    String yaml =
        """
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: a
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: b
          conect_timeout: 1s
        """;

    assertThatThrownBy(() -> ResourceFileLoader.load(yaml, "clusters.yaml", Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.source()).isEqualTo("clusters.yaml");
              assertThat(e.line()).isEqualTo(5);
              assertThat(e.fieldPath()).isEqualTo("[1].conect_timeout");
              assertThat(e.reason()).contains("did you mean \"connect_timeout\"");
            });
  }

  @Test
  void refusesTypesOtherThanTheFourAndItemsWithoutType() {
    String secret =
        """
        - "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret
          name: cert
        """;
    String untyped = "- name: a\n";

    assertThatThrownBy(() -> ResourceFileLoader.load(secret, "s.yaml", Map.of()))
        .hasMessageStartingWith(
            "s.yaml: line 1: [0]: resource type"
                + " \"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret\" not"
                + " supported (supported: type.googleapis.com/envoy.config.listener.v3.Listener,");
    assertThatThrownBy(() -> ResourceFileLoader.load(untyped, "u.yaml", Map.of()))
        .hasMessageStartingWith("u.yaml: line 1: [0]: missing \"@type\"");
  }

  @Test
  void refusesAMappingOrAnEmptyFileButTakesAnEmptyList() throws Exception {
    assertThatThrownBy(() -> ResourceFileLoader.load("name: a\n", "m.yaml", Map.of()))
        .hasMessage(
            "m.yaml: line 1: expected a list of resources at the top level (each with \"@type\"),"
                + " got a mapping");
    assertThatThrownBy(() -> ResourceFileLoader.load("# nothing\n", "e.yaml", Map.of()))
        .hasMessage(
            "e.yaml: empty document (expected: a YAML list of resources; write [] for none)");
    assertThat(ResourceFileLoader.load("[]\n", "n.yaml", Map.of()).resources()).isEmpty();
  }

  @Test
  void writtenResourcesReadBackToTheSameProtos() throws Exception {
    ResourceFile original = ResourceFileLoader.load(RESOURCES, "a.yaml", Map.of());
    RouteConfiguration dollars =
        ((RouteConfiguration) original.resources().get(2))
            .toBuilder().setName("cost-$5-${X}").build();
    java.util.List<com.google.protobuf.Message> resources =
        new java.util.ArrayList<>(original.resources());
    resources.set(2, dollars);

    String yaml = ResourceYaml.write(resources);
    ResourceFile again = ResourceFileLoader.load(yaml, "b.yaml", Map.of());

    assertThat(again.resources()).isEqualTo(resources);
    assertThat(((Listener) again.resources().get(3)).getName()).isEqualTo("ingress");
    assertThat(yaml).contains("'@type': type.googleapis.com/envoy.config.cluster.v3.Cluster");
  }
}
