package io.outrigger.cli.mesh;

import java.util.List;

/**
 * The resources of a node in a mesh with interception, laid out as Istio lays out a sidecar's:
 *
 * <ul>
 *   <li><b>inbound</b> on {@link InterceptMesh#INBOUND_PORT}, where iptables sends every connection
 *       that arrives for the node: {@code original_dst} recovers the port that was dialled, then
 *       the mTLS chain serves the peers' sidecars and the plaintext chain the host (the lab, curl),
 *       both to the replica on loopback;
 *   <li><b>outbound</b> on {@link InterceptMesh#OUTBOUND_PORT}, where iptables sends every
 *       connection the replica opens: {@code original_dst} recovers the address it dialled, and one
 *       chain per peer, chosen by that address and port ({@code prefix_ranges}, {@code
 *       destination_port}), carries its requests over mTLS to that peer, through the network and
 *       HTTP partition filters that name the peer; any other destination falls through to {@code
 *       PassthroughCluster}, an {@code ORIGINAL_DST} cluster that connects where the replica meant
 *       to go.
 * </ul>
 *
 * <p>The peer clusters point at the peer's own address and the store's port: the sidecar's
 * connection leaves unredirected (its group is excluded), and the peer's own rules send it to the
 * peer's inbound listener.
 *
 * <p>Two meshes use it: {@code mesh up --intercept} (namespaces on a bridge, {@link #layout}) and
 * {@code mesh containers-config --intercept} (the pods of {@code docker/compose-intercept.yaml} at
 * fixed addresses on their compose network, {@link MeshLayout#containers(List)}).
 */
final class InterceptResources {
  /** The ORIGINAL_DST cluster of destinations the mesh does not know. */
  static final String PASSTHROUGH = "PassthroughCluster";

  private InterceptResources() {}

  /** The layout's plaintext chain serves the host's end of the bridge only. */
  static MeshLayout layout(MeshState mesh) {
    return new MeshLayout("0.0.0.0", "", true, "", List.of(mesh.network().hostAddress() + "/32"));
  }

  static String nodeResources(MeshState mesh, MeshState.Node node) {
    return nodeResources(mesh, node, layout(mesh));
  }

  /**
   * The resources of {@code node}, every node having its {@link MeshState.Node#address()}; {@code
   * layout} says who may use the inbound plaintext chain, whether there are access logs and whether
   * spans go to Zipkin ({@link MeshLayout#peerHost} is not used: a peer is its address).
   */
  static String nodeResources(MeshState mesh, MeshState.Node node, MeshLayout layout) {
    List<MeshState.Node> peers =
        mesh.nodes().stream().filter(n -> !n.name().equals(node.name())).toList();
    StringBuilder out = new StringBuilder();
    out.append("# Written by `outrigger mesh` with interception: node ")
        .append(node.name())
        .append(".\n");
    out.append(MeshFiles.cluster("local_store", "127.0.0.1", node.storePort(), false, ""));
    for (MeshState.Node peer : peers) {
      out.append(
          MeshFiles.cluster(
              "peer_" + peer.name(),
              peer.address(),
              peer.storePort(),
              false,
              MeshFiles.upstreamMtls(peer.name())));
    }
    out.append(PASSTHROUGH_CLUSTER);
    if (layout.tracesToZipkin()) {
      out.append(
          MeshFiles.cluster(
              MeshFiles.ZIPKIN_CLUSTER, layout.zipkinHost(), MeshLayout.ZIPKIN_PORT, true, ""));
    }
    String accessLog =
        layout.accessLogs()
            ? MeshFiles.logs(mesh).resolve(node.name() + "-access.log").toString()
            : null;
    String options = MeshFiles.managerOptions(accessLog, layout);
    out.append(
        MeshFiles.inbound(InterceptMesh.INBOUND_PORT, layout, peers, options, INBOUND_FILTERS));
    out.append(outbound(peers, options));
    for (MeshState.Node peer : peers) {
      out.append(route(peer));
    }
    return out.toString();
  }

  /** {@code listener_filters} with Envoy's original destination filter, under a listener. */
  static final String ORIGINAL_DST =
      """
      listener_filters:
      - name: envoy.filters.listener.original_dst
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst
      """
          .indent(2)
          .stripTrailing();

  /**
   * The inbound listener's filters: the original destination, then Envoy's TLS inspector, without
   * which every connection of a listener with listener filters counts as {@code raw_buffer} and the
   * peers' mTLS would land on the plaintext chain.
   */
  static final String INBOUND_FILTERS =
      ORIGINAL_DST
          + "\n"
          + """
          - name: envoy.filters.listener.tls_inspector
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector
          """
              .indent(2)
              .stripTrailing();

  static final String PASSTHROUGH_CLUSTER =
      """
      - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
        name: PassthroughCluster
        type: ORIGINAL_DST
        lb_policy: CLUSTER_PROVIDED
        connect_timeout: 1s
      """;

  private static String outbound(List<MeshState.Node> peers, String managerOptions) {
    StringBuilder out =
        new StringBuilder(
            """
            - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
              name: outbound
              address: { socket_address: { address: 0.0.0.0, port_value: %d } }
            %s
              filter_chains:
            """
                .formatted(InterceptMesh.OUTBOUND_PORT, ORIGINAL_DST));
    for (MeshState.Node peer : peers) {
      out.append(peerChain(peer, managerOptions));
    }
    out.append(PASSTHROUGH_CHAIN);
    return out.toString();
  }

  /** The outbound listener's last chain: any other destination, through the passthrough. */
  static final String PASSTHROUGH_CHAIN =
      """
        - name: passthrough
          filters:
          - name: envoy.filters.network.tcp_proxy
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
              stat_prefix: passthrough
              cluster: PassthroughCluster
      """;

  /**
   * The chain of connections to {@code peer}'s store: the network partition filter (which cuts the
   * replica's open keep-alive connections to the peer when a fault starts), then HTTP with the
   * partition filter that names the peer, then the router.
   */
  private static String peerChain(MeshState.Node peer, String managerOptions) {
    return """
          - name: to_%1$s
            filter_chain_match:
              destination_port: %3$d
              prefix_ranges: [{ address_prefix: %2$s, prefix_len: 32 }]
            filters:
            - name: outrigger.filters.network.partition
              typed_config:
                "@type": type.googleapis.com/xds.type.v3.TypedStruct
                type_url: type.googleapis.com/outrigger.filters.network.partition.v1.Partition
                value: { peer: %1$s, rules: [] }
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: outbound_%1$s
        %4$s
                rds: { route_config_name: outbound_%1$s, config_source: { ads: {} } }
                http_filters:
                - name: outrigger.filters.partition
                  typed_config:
                    "@type": type.googleapis.com/xds.type.v3.TypedStruct
                    type_url: type.googleapis.com/outrigger.filters.partition.v1.Partition
                    value: { peer: %1$s, rules: [] }
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(peer.name(), peer.address(), peer.storePort(), managerOptions);
  }

  /**
   * The route of one peer's chain: every request to the peer's cluster, whatever its {@code Host};
   * a route configuration of its own, so that the control plane's fault rules reach it over RDS.
   */
  private static String route(MeshState.Node peer) {
    return """
        - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
          name: outbound_%1$s
          virtual_hosts:
          - name: %1$s
            domains: ["*"]
            routes:
            - match: { prefix: / }
              route: { cluster: peer_%1$s, timeout: %2$s }
        """
        .formatted(peer.name(), MeshFiles.ROUTE_TIMEOUT);
  }
}
