package io.outrigger.controlplane.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.PartitionRule.Action;
import io.outrigger.api.model.http.OptionalFilterConfig;
import io.outrigger.api.model.http.PartitionFilterConfig;
import io.outrigger.api.validation.ResourceSetTranslator;
import io.outrigger.api.validation.ResourceSetTranslator.Located;
import io.outrigger.controlplane.resources.FolderContents;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceFolder;
import io.outrigger.controlplane.resources.ResourceType;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault state written into a node group's routes and network filters. */
class FaultRewriterTest {
  static final String N1 =
      """
      - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
        name: peer_n2
        connect_timeout: 0.25s
        load_assignment:
          cluster_name: peer_n2
          endpoints:
          - lb_endpoints:
            - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9002 } } }
      - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
        name: outbound_routes
        virtual_hosts:
        - name: n2
          domains: ["n2", "n2:*"]
          routes:
          - match: { prefix: / }
            route: { cluster: peer_n2 }
      - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
        name: outbound
        address: { socket_address: { address: 127.0.0.1, port_value: 10001 } }
        filter_chains:
        - filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stat_prefix: outbound
              rds: { route_config_name: outbound_routes, config_source: { ads: {} } }
              http_filters:
              - name: outrigger.filters.partition
                typed_config:
                  "@type": type.googleapis.com/xds.type.v3.TypedStruct
                  type_url: type.googleapis.com/outrigger.filters.partition.v1.Partition
                  value: {}
              - name: envoy.filters.http.router
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
      - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
        name: tcp_n2
        address: { socket_address: { address: 127.0.0.1, port_value: 10002 } }
        filter_chains:
        - filters:
          - name: outrigger.filters.network.partition
            typed_config:
              "@type": type.googleapis.com/xds.type.v3.TypedStruct
              type_url: type.googleapis.com/outrigger.filters.network.partition.v1.Partition
              value: { peer: n2, rules: [] }
          - name: envoy.filters.network.tcp_proxy
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
              stat_prefix: tcp_n2
              cluster: peer_n2
      """;

  @TempDir Path dir;

  private Map<String, GroupSnapshot> build() throws Exception {
    Files.createDirectories(dir.resolve("n1"));
    Files.createDirectories(dir.resolve("n2"));
    Files.writeString(dir.resolve("n1/n1.yaml"), N1);
    Files.writeString(dir.resolve("n2/n2.yaml"), N1);
    FolderContents folder = new ResourceFolder(dir, Map.of()).load();
    return SnapshotBuilder.build(folder, List.of(), true);
  }

  private static ResourceSetTranslator.Translated translate(GroupSnapshot s) throws Exception {
    return ResourceSetTranslator.translate(
        s.resources(ResourceType.LISTENER).values().stream()
            .map(m -> new Located<>((Listener) m, "test", ""))
            .toList(),
        s.resources(ResourceType.ROUTE).values().stream()
            .map(m -> new Located<>((RouteConfiguration) m, "test", ""))
            .toList(),
        s.resources(ResourceType.CLUSTER).values().stream()
            .map(m -> new Located<>((Cluster) m, "test", ""))
            .toList(),
        List.of(),
        Set.of());
  }

  @Test
  void rulesFromTheGroupReachItsRoutesAndNetworkFiltersAndValidate() throws Exception {
    Map<String, GroupSnapshot> before = build();
    FaultState state =
        new FaultState(
            3,
            List.of(
                new LinkRule(
                    "n1", new PartitionRule("n2", Action.DELAY, Duration.ofMillis(200), 1.0)),
                new LinkRule("n1", new PartitionRule("n3", Action.LOSE, Duration.ZERO, 0.3))));

    Map<String, GroupSnapshot> after = FaultRewriter.apply(before, state);

    List<PartitionRule> rules =
        List.of(
            new PartitionRule("n2", Action.DELAY, Duration.ofMillis(200), 1.0),
            new PartitionRule("n3", Action.LOSE, Duration.ZERO, 0.3));
    ResourceSetTranslator.Translated n1 = translate(after.get("n1"));
    assertThat(
            n1.routes()
                .get("outbound_routes")
                .virtualHosts()
                .get(0)
                .typedPerFilterConfig()
                .get(PartitionFilterConfig.FILTER_NAME))
        .isEqualTo(
            new OptionalFilterConfig(
                new PartitionFilterConfig(PartitionFilterConfig.FILTER_NAME, rules)));
    PartitionNetworkFilterConfig network =
        (PartitionNetworkFilterConfig)
            n1.listeners().get("tcp_n2").filterChains().get(0).filters().get(0);
    assertThat(network.peer()).isEqualTo("n2");
    assertThat(network.rules()).isEqualTo(rules);
    assertThat(after.get("n1").version(ResourceType.ROUTE))
        .isNotEqualTo(before.get("n1").version(ResourceType.ROUTE));
    assertThat(after.get("n1").version(ResourceType.CLUSTER))
        .isEqualTo(before.get("n1").version(ResourceType.CLUSTER));
  }

  @Test
  void aGroupWithoutRulesIsServedItsFolderUntouched() throws Exception {
    Map<String, GroupSnapshot> before = build();

    Map<String, GroupSnapshot> after =
        FaultRewriter.apply(before, new FaultState(1, List.of(LinkRule.drop("n1", "n2"))));

    assertThat(after.get("n2").versions()).isEqualTo(before.get("n2").versions());
    assertThat(FaultRewriter.apply(before, new FaultState(2, List.of())).get("n1").versions())
        .as("a heal gives back the versions from before the fault")
        .isEqualTo(before.get("n1").versions());
  }
}
