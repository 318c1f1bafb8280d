package io.outrigger.cli.mesh;

import java.util.List;

/**
 * The resources of a node of {@code mesh up --store etcd}: as {@link InterceptResources} lays them
 * out, at layer 4, since etcd's members speak gRPC and HTTP/2 to each other on long-lived
 * connections (Raft's streams) that the mesh carries byte for byte.
 *
 * <ul>
 *   <li><b>inbound</b> (15006, {@code original_dst}): a connection from a peer's sidecar (mTLS, the
 *       peer's identity checked by {@code envoy.filters.network.rbac}) goes to the local member's
 *       port it was meant for, peer (2380) or client (2379); a plaintext connection from the host
 *       (the lab, etcdctl) only to the client port;
 *   <li><b>outbound</b> (15001, {@code original_dst}): one chain per peer and port, chosen by the
 *       address and port the member dialled, starting with the network partition filter that names
 *       the peer — a fault cuts the Raft streams already open, not only new ones — then {@code
 *       tcp_proxy} over mTLS to the peer; anything else through {@code PassthroughCluster}.
 * </ul>
 */
final class EtcdResources {
  private EtcdResources() {}

  static String nodeResources(MeshState mesh, MeshState.Node node) {
    List<MeshState.Node> peers =
        mesh.nodes().stream().filter(n -> !n.name().equals(node.name())).toList();
    StringBuilder out = new StringBuilder();
    out.append("# Written by `outrigger mesh up --store etcd`: node ")
        .append(node.name())
        .append(".\n");
    for (int port : List.of(EtcdMembers.CLIENT_PORT, EtcdMembers.PEER_PORT)) {
      out.append(MeshFiles.cluster("local_" + port, "127.0.0.1", port, false, ""));
      for (MeshState.Node peer : peers) {
        out.append(
            MeshFiles.cluster(
                "peer_" + peer.name() + "_" + port,
                peer.address(),
                port,
                false,
                MeshFiles.upstreamMtls(peer.name())));
      }
    }
    out.append(InterceptResources.PASSTHROUGH_CLUSTER);
    out.append(inbound(mesh, peers));
    out.append(outbound(peers));
    return out.toString();
  }

  private static String inbound(MeshState mesh, List<MeshState.Node> peers) {
    StringBuilder out =
        new StringBuilder(
            """
            - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
              name: inbound
              address: { socket_address: { address: 0.0.0.0, port_value: %d } }
            %s
              filter_chains:
            """
                .formatted(InterceptMesh.INBOUND_PORT, InterceptResources.INBOUND_FILTERS));
    for (int port : List.of(EtcdMembers.CLIENT_PORT, EtcdMembers.PEER_PORT)) {
      out.append(
          """
            - name: mtls_%1$d
              filter_chain_match: { destination_port: %1$d, transport_protocol: tls }
              transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  require_client_certificate: true
                  common_tls_context:
          %2$s
              filters:
          %3$s
          %4$s
          """
              .formatted(
                  port,
                  MeshFiles.sdsCertificates(
                      "spiffe://" + MeshFiles.TRUST_DOMAIN + "/", "prefix", 10),
                  peerRbac(peers),
                  tcpProxy("inbound_" + port, "local_" + port)));
    }
    out.append(
        """
          - name: plaintext_%1$d
            filter_chain_match: { destination_port: %1$d, transport_protocol: raw_buffer }
            filters:
        %2$s
        %3$s
        """
            .formatted(
                EtcdMembers.CLIENT_PORT,
                MeshFiles.plaintextRbac(List.of(mesh.network().hostAddress() + "/32"))
                    .stripTrailing(),
                tcpProxy("inbound_plaintext", "local_" + EtcdMembers.CLIENT_PORT)));
    return out.toString();
  }

  private static String outbound(List<MeshState.Node> peers) {
    StringBuilder out =
        new StringBuilder(
            """
            - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
              name: outbound
              address: { socket_address: { address: 0.0.0.0, port_value: %d } }
            %s
              filter_chains:
            """
                .formatted(InterceptMesh.OUTBOUND_PORT, InterceptResources.ORIGINAL_DST));
    for (MeshState.Node peer : peers) {
      for (int port : List.of(EtcdMembers.CLIENT_PORT, EtcdMembers.PEER_PORT)) {
        out.append(
            """
              - name: to_%1$s_%3$d
                filter_chain_match:
                  destination_port: %3$d
                  prefix_ranges: [{ address_prefix: %2$s, prefix_len: 32 }]
                filters:
                - name: outrigger.filters.network.partition
                  typed_config:
                    "@type": type.googleapis.com/xds.type.v3.TypedStruct
                    type_url: type.googleapis.com/outrigger.filters.network.partition.v1.Partition
                    value: { peer: %1$s, rules: [] }
            %4$s
            """
                .formatted(
                    peer.name(),
                    peer.address(),
                    port,
                    tcpProxy(
                        "to_" + peer.name() + "_" + port, "peer_" + peer.name() + "_" + port)));
      }
    }
    out.append(InterceptResources.PASSTHROUGH_CHAIN);
    return out.toString();
  }

  /** A {@code tcp_proxy} filter list item, indented under a chain's {@code filters}. */
  private static String tcpProxy(String statPrefix, String cluster) {
    return """
        - name: envoy.filters.network.tcp_proxy
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
            stat_prefix: %s
            cluster: %s"""
        .formatted(statPrefix, cluster)
        .indent(4)
        .stripTrailing();
  }

  /** A network RBAC filter that lets only the peers' identities open a connection. */
  private static String peerRbac(List<MeshState.Node> peers) {
    StringBuilder rbac =
        new StringBuilder(
            """
            - name: envoy.filters.network.rbac
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                stat_prefix: inbound_peers
                rules:
                  action: ALLOW
                  policies:
                    mesh-peers:
                      permissions: [{ any: true }]
                      principals:
            """);
    return rbac.append(MeshFiles.peerPrincipals(peers)).toString().indent(4).stripTrailing();
  }
}
