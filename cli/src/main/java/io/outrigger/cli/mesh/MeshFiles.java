package io.outrigger.cli.mesh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes what the processes of a mesh read: the control plane's resource folder, with one node
 * group per node ({@code resources/n1/mesh.yaml}: its listeners, clusters and outbound routes), and
 * each sidecar's bootstrap ({@code n1/sidecar.yaml}), which holds only its identity, its admin
 * address and where the control plane is. Everything else reaches the sidecar over ADS, so the
 * control plane's fault rules can change it.
 *
 * <p>Per node: the <b>inbound</b> listener sends everything to {@code local_store}, the node's own
 * replica; the <b>outbound</b> listener has one virtual host per peer (domain = the peer's name,
 * which the replica puts in the {@code Host} header) leading to cluster {@code peer_<name>}, the
 * peer's inbound listener. The outbound chain starts with {@code outrigger.filters.partition}: the
 * control plane fills its rules per node when a fault is in force.
 */
final class MeshFiles {
  /** The route timeout on both listeners: longer than any store deadline, short of a hang. */
  private static final String ROUTE_TIMEOUT = "10s";

  private MeshFiles() {}

  static Path resources(MeshState mesh) {
    return mesh.path().resolve("resources");
  }

  static Path nodeDir(MeshState mesh, String node) {
    return mesh.path().resolve(node);
  }

  static Path logs(MeshState mesh) {
    return mesh.path().resolve("logs");
  }

  /** Writes every file of the mesh; the folders are created. */
  static void write(MeshState mesh) throws IOException {
    Files.createDirectories(resources(mesh));
    Files.createDirectories(logs(mesh));
    for (MeshState.Node node : mesh.nodes()) {
      Path group = Files.createDirectories(resources(mesh).resolve(node.name()));
      Files.writeString(group.resolve("mesh.yaml"), nodeResources(mesh, node));
      Path dir = Files.createDirectories(nodeDir(mesh, node.name()));
      Files.createDirectories(dir.resolve("data"));
      Files.writeString(dir.resolve("sidecar.yaml"), bootstrap(mesh, node));
    }
  }

  static String bootstrap(MeshState mesh, MeshState.Node node) {
    return """
        # Written by `outrigger mesh up`. The node's listeners, clusters and routes come over ADS
        # from the control plane (resources/%1$s/mesh.yaml there).
        node: { id: %1$s, cluster: %1$s }
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: %2$d } }
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services:
            - envoy_grpc: { cluster_name: xds }
          lds_config: { ads: {}, resource_api_version: V3 }
          cds_config: { ads: {}, resource_api_version: V3 }
        static_resources:
          clusters:
          - name: xds
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
            load_assignment:
              cluster_name: xds
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %3$d } } }
        """
        .formatted(node.name(), node.adminPort(), mesh.controlPlane().xdsPort());
  }

  static String nodeResources(MeshState mesh, MeshState.Node node) {
    List<MeshState.Node> peers =
        mesh.nodes().stream().filter(n -> !n.name().equals(node.name())).toList();
    StringBuilder out = new StringBuilder();
    out.append("# Written by `outrigger mesh up`: node ").append(node.name()).append(".\n");
    out.append(cluster("local_store", node.storePort()));
    for (MeshState.Node peer : peers) {
      out.append(cluster("peer_" + peer.name(), peer.inboundPort()));
    }
    String accessLog = logs(mesh).resolve(node.name() + "-access.log").toString();
    out.append(inbound(node, accessLog));
    out.append(outbound(node, accessLog));
    out.append(outboundRoutes(peers));
    return out.toString();
  }

  private static String cluster(String name, int port) {
    return """
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: %1$s
          connect_timeout: 0.5s
          load_assignment:
            cluster_name: %1$s
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %2$d } } }
        """
        .formatted(name, port);
  }

  private static String inbound(MeshState.Node node, String accessLog) {
    return """
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: inbound
          address: { socket_address: { address: 127.0.0.1, port_value: %1$d } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: inbound
        %2$s
                route_config:
                  name: inbound
                  virtual_hosts:
                  - name: local_store
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: local_store, timeout: %3$s }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(node.inboundPort(), accessLogBlock(accessLog), ROUTE_TIMEOUT);
  }

  private static String outbound(MeshState.Node node, String accessLog) {
    return """
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: outbound
          address: { socket_address: { address: 127.0.0.1, port_value: %1$d } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: outbound
        %2$s
                rds: { route_config_name: outbound_routes, config_source: { ads: {} } }
                http_filters:
                - name: outrigger.filters.partition
                  typed_config:
                    "@type": type.googleapis.com/xds.type.v3.TypedStruct
                    type_url: type.googleapis.com/outrigger.filters.partition.v1.Partition
                    value: { rules: [] }
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(node.outboundPort(), accessLogBlock(accessLog));
  }

  private static String accessLogBlock(String path) {
    return """
                access_log:
                - name: envoy.access_loggers.file
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                    path: "%s"
        """
        .formatted(path)
        .stripTrailing();
  }

  private static String outboundRoutes(List<MeshState.Node> peers) {
    StringBuilder out =
        new StringBuilder(
            """
            - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
              name: outbound_routes
              virtual_hosts:
            """);
    for (MeshState.Node peer : peers) {
      out.append(
          """
            - name: %1$s
              domains: ["%1$s", "%1$s:*"]
              routes:
              - match: { prefix: / }
                route: { cluster: peer_%1$s, timeout: %2$s }
          """
              .formatted(peer.name(), ROUTE_TIMEOUT));
    }
    return out.toString();
  }
}
