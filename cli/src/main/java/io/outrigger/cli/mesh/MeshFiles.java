package io.outrigger.cli.mesh;

import io.outrigger.certs.MeshCa;
import io.outrigger.controlplane.AccessOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

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
 *
 * <p>Sidecars talk mTLS to each other. The mesh has its own CA ({@code ca/}); the control plane
 * serves each sidecar its workload certificate ({@code
 * spiffe://outrigger.local/ns/default/sa/<node>}) and the CA over SDS. The peer clusters present
 * that certificate and accept only the peer's own identity; the inbound listener's TLS chain
 * requires a client certificate from the mesh CA and its RBAC filter lets only the other nodes'
 * identities in. Its plaintext chain, told apart by {@code transport_protocol} (Istio's permissive
 * mode), serves local clients on loopback: the lab, curl.
 */
public final class MeshFiles {
  /** The route timeout on both listeners: longer than any store deadline, short of a hang. */
  static final String ROUTE_TIMEOUT = "10s";

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

  /** The SPIFFE trust domain of the mesh CA. */
  static final String TRUST_DOMAIN = "outrigger.local";

  static Path caDir(MeshState mesh) {
    return mesh.path().resolve("ca");
  }

  /** The identity the control plane gives {@code node} (its {@code node.cluster} as account). */
  static String spiffeId(String node) {
    return "spiffe://" + TRUST_DOMAIN + "/ns/default/sa/" + node;
  }

  /** The SPIFFE ID of the control plane's xDS server certificate, which the sidecars accept. */
  public static final String CONTROL_PLANE_ID =
      "spiffe://" + TRUST_DOMAIN + AccessOptions.CONTROL_PLANE_ID_PATH;

  /**
   * Writes every file of a mesh on loopback, its CA and new tokens ({@link MeshTokens}) included;
   * the folders are created. A bootstrap holds its node's token, so it is owner-only.
   */
  static void write(MeshState mesh) throws IOException {
    Files.createDirectories(logs(mesh));
    writeControlPlane(
        mesh, mesh.intercepted() ? InterceptResources.layout(mesh) : MeshLayout.LOOPBACK);
    Map<String, String> tokens = MeshTokens.write(mesh, new SecureRandom());
    for (MeshState.Node node : mesh.nodes()) {
      Path dir = Files.createDirectories(nodeDir(mesh, node.name()));
      Files.createDirectories(dir.resolve("data"));
      MeshTokens.writePrivate(
          dir.resolve("sidecar.yaml"), bootstrap(mesh, node, tokens.get(node.name())));
    }
  }

  /**
   * Writes what the control plane reads, laid out as {@code layout} says: the CA (kept when there)
   * and one resource group per node.
   */
  static void writeControlPlane(MeshState mesh, MeshLayout layout) throws IOException {
    writeControlPlane(mesh, layout, mesh.intercepted());
  }

  /**
   * {@link #writeControlPlane(MeshState, MeshLayout)}; {@code intercepted}: every node has its own
   * address and {@link InterceptResources} lays its resources out, whether or not this command made
   * its network (the compose mesh with interception has its network made by compose).
   */
  static void writeControlPlane(MeshState mesh, MeshLayout layout, boolean intercepted)
      throws IOException {
    Files.createDirectories(resources(mesh));
    writeCa(caDir(mesh));
    for (MeshState.Node node : mesh.nodes()) {
      Path group = Files.createDirectories(resources(mesh).resolve(node.name()));
      Files.writeString(
          group.resolve("mesh.yaml"),
          mesh.etcd()
              ? EtcdResources.nodeResources(mesh, node)
              : intercepted
                  ? InterceptResources.nodeResources(mesh, node, layout)
                  : nodeResources(mesh, node, layout));
    }
  }

  /** A new CA for a new mesh; one left by an earlier mesh in the same folder is kept. */
  private static void writeCa(Path dir) throws IOException {
    if (Files.exists(dir.resolve(MeshCa.CA_KEY_FILE))) {
      return;
    }
    MeshCa.create(TRUST_DOMAIN, MeshCa.DEFAULT_CA_VALIDITY, Clock.systemUTC(), new SecureRandom())
        .write(dir);
  }

  /**
   * A sidecar's bootstrap: ADS over TLS to the control plane, verified against the mesh CA and the
   * control plane's SPIFFE ID, with the node's bootstrap token in {@code initial_metadata}.
   */
  static String bootstrap(MeshState mesh, MeshState.Node node, String token) {
    // With interception the admin server listens on the node's address, which the rules leave
    // alone, and the control plane is on the host's end of the bridge.
    String host = mesh.intercepted() ? node.address() : "127.0.0.1";
    String xdsHost = mesh.intercepted() ? mesh.network().hostAddress() : "127.0.0.1";
    return sidecarBootstrap(
        node.name(),
        host,
        node.adminPort(),
        xdsHost,
        mesh.controlPlane().xdsPort(),
        token,
        caDir(mesh).resolve(MeshCa.CA_CERT_FILE));
  }

  /**
   * The bootstrap of a mesh sidecar as {@code mesh up} writes it, for tests and other launchers:
   * node {@code name} in node group {@code name}, admin on 127.0.0.1:{@code adminPort}, ADS to
   * 127.0.0.1:{@code xdsPort} over TLS verified against {@code caFile} and {@link
   * #CONTROL_PLANE_ID}, with {@code token}.
   */
  public static String sidecarBootstrap(
      String name, int adminPort, int xdsPort, String token, Path caFile) {
    return sidecarBootstrap(name, "127.0.0.1", adminPort, "127.0.0.1", xdsPort, token, caFile);
  }

  /** {@link #sidecarBootstrap(String, int, int, String, Path)} with the admin and ADS hosts. */
  static String sidecarBootstrap(
      String name,
      String adminHost,
      int adminPort,
      String xdsHost,
      int xdsPort,
      String token,
      Path caFile) {
    return """
        # Written by `outrigger mesh up`. The node's listeners, clusters and routes come over ADS
        # from the control plane (resources/%1$s/mesh.yaml there). Holds the node's token: 0600.
        node: { id: %1$s, cluster: %1$s }
        admin:
          address: { socket_address: { address: %7$s, port_value: %2$d } }
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services:
            - envoy_grpc: { cluster_name: xds }
              initial_metadata:
              - { key: authorization, value: "Bearer %4$s" }
          lds_config: { ads: {}, resource_api_version: V3 }
          cds_config: { ads: {}, resource_api_version: V3 }
        static_resources:
          clusters:
          - name: xds
            connect_timeout: 1s
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                common_tls_context:
                  validation_context:
                    trusted_ca: { filename: %5$s }
                    match_typed_subject_alt_names:
                    - { san_type: URI, matcher: { exact: "%6$s" } }
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
            load_assignment:
              cluster_name: xds
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: %8$s, port_value: %3$d } } }
        """
        .formatted(name, adminPort, xdsPort, token, caFile, CONTROL_PLANE_ID, adminHost, xdsHost);
  }

  static String nodeResources(MeshState mesh, MeshState.Node node) {
    return nodeResources(mesh, node, MeshLayout.LOOPBACK);
  }

  static String nodeResources(MeshState mesh, MeshState.Node node, MeshLayout layout) {
    List<MeshState.Node> peers =
        mesh.nodes().stream().filter(n -> !n.name().equals(node.name())).toList();
    StringBuilder out = new StringBuilder();
    out.append("# Written by `outrigger mesh`: node ").append(node.name()).append(".\n");
    out.append(cluster("local_store", "127.0.0.1", node.storePort(), false, ""));
    for (MeshState.Node peer : peers) {
      out.append(
          cluster(
              "peer_" + peer.name(),
              layout.peerHost(peer.name()),
              peer.inboundPort(),
              layout.peersByName(),
              upstreamMtls(peer.name())));
    }
    String accessLog =
        layout.accessLogs() ? logs(mesh).resolve(node.name() + "-access.log").toString() : null;
    if (layout.tracesToZipkin()) {
      out.append(cluster(ZIPKIN_CLUSTER, layout.zipkinHost(), MeshLayout.ZIPKIN_PORT, true, ""));
    }
    String options = managerOptions(accessLog, layout);
    out.append(inbound(node.inboundPort(), layout, peers, options, ""));
    out.append(outbound(node, options));
    out.append(outboundRoutes(peers));
    return out.toString();
  }

  /** A cluster of one endpoint; {@code byName}: a host name, resolved again and again. */
  static String cluster(
      String name, String host, int port, boolean byName, String transportSocket) {
    return """
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: %1$s
          connect_timeout: 0.5s
        %4$s
        %5$s
          load_assignment:
            cluster_name: %1$s
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: %2$s, port_value: %3$d } } }
        """
        .formatted(name, host, port, byName ? "  type: STRICT_DNS" : "", transportSocket)
        .replace("\n\n", "\n") // no type or no transport socket: drop the empty line
        .replace("\n\n", "\n");
  }

  /** The peer cluster's TLS: this node's certificate, and only the peer's identity accepted. */
  static String upstreamMtls(String peer) {
    return """
          transport_socket:
            name: envoy.transport_sockets.tls
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
              sni: %1$s
              common_tls_context:
        %2$s
        """
        .formatted(peer, sdsCertificates(spiffeId(peer), "exact", 8))
        .stripTrailing();
  }

  /**
   * {@code common_tls_context}'s body: the node's certificate and the mesh CA over SDS, with a URI
   * SAN matcher, indented by {@code indent} spaces.
   */
  static String sdsCertificates(String san, String matcher, int indent) {
    return """
        tls_certificate_sds_secret_configs:
        - { name: default, sds_config: { ads: {} } }
        combined_validation_context:
          default_validation_context:
            match_typed_subject_alt_names:
            - { san_type: URI, matcher: { %2$s: "%1$s" } }
          validation_context_sds_secret_config: { name: ROOTCA, sds_config: { ads: {} } }"""
        .formatted(san, matcher)
        .indent(indent)
        .stripTrailing();
  }

  /**
   * The inbound listener on {@code port}: an mTLS chain for the peers' sidecars and a plaintext one
   * for local clients, both to the local replica.
   *
   * @param listenerFilters its {@code listener_filters} block, indented under the listener; empty
   *     for none
   */
  static String inbound(
      int port,
      MeshLayout layout,
      List<MeshState.Node> peers,
      String managerOptions,
      String listenerFilters) {
    return """
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: inbound
          address: { socket_address: { address: %5$s, port_value: %1$d } }
        %6$s
          filter_chains:
          - name: mtls
            filter_chain_match: { transport_protocol: tls }
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                require_client_certificate: true
                common_tls_context:
        %2$s
            filters:
        %3$s
          - name: plaintext
            filter_chain_match: { transport_protocol: raw_buffer }
            filters:
        %4$s
        """
        .formatted(
            port,
            sdsCertificates("spiffe://" + TRUST_DOMAIN + "/", "prefix", 10),
            inboundManager(managerOptions, peerRbac(peers)),
            plaintextRbac(layout.plaintextClients()) + inboundManager(managerOptions, ""),
            layout.listenHost(),
            listenerFilters)
        .replace("\n\n", "\n"); // no listener filters: drop their empty line
  }

  /**
   * A network RBAC filter that lets only {@code clients} (CIDR ranges) open a plaintext connection
   * and closes the others at accept; nothing when {@code clients} is empty.
   */
  static String plaintextRbac(List<String> clients) {
    if (clients.isEmpty()) {
      return "";
    }
    StringBuilder rbac =
        new StringBuilder(
            """
            - name: envoy.filters.network.rbac
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                stat_prefix: inbound_plaintext
                rules:
                  action: ALLOW
                  policies:
                    local-clients:
                      permissions: [{ any: true }]
                      principals:
            """);
    for (String cidr : clients) {
      int slash = cidr.indexOf('/');
      rbac.append(
          "          - { direct_remote_ip: { address_prefix: %s, prefix_len: %s } }\n"
              .formatted(cidr.substring(0, slash), cidr.substring(slash + 1)));
    }
    return rbac.toString().indent(4);
  }

  /** The inbound connection manager: everything to the local replica, after {@code filters}. */
  private static String inboundManager(String managerOptions, String filters) {
    return """
        - name: envoy.filters.network.http_connection_manager
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
            stat_prefix: inbound
        %1$s
            route_config:
              name: inbound
              virtual_hosts:
              - name: local_store
                domains: ["*"]
                routes:
                - match: { prefix: / }
                  route: { cluster: local_store, timeout: %2$s }
            http_filters:
        %3$s
            - name: envoy.filters.http.router
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"""
        .formatted(managerOptions.indent(-4).stripTrailing(), ROUTE_TIMEOUT, filters)
        .replace("\n\n", "\n") // no filters before the router: drop their empty line
        .indent(4)
        .stripTrailing();
  }

  /** An RBAC filter that lets the peers' identities in, and nobody else. */
  private static String peerRbac(List<MeshState.Node> peers) {
    StringBuilder rbac =
        new StringBuilder(
            """
            - name: envoy.filters.http.rbac
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                rules:
                  action: ALLOW
                  policies:
                    mesh-peers:
                      permissions: [{ any: true }]
                      principals:
            """);
    return rbac.append(peerPrincipals(peers)).toString().indent(4).stripTrailing();
  }

  /** The RBAC principals of the peers' identities, one line each under {@code principals:}. */
  static String peerPrincipals(List<MeshState.Node> peers) {
    StringBuilder out = new StringBuilder();
    for (MeshState.Node peer : peers) {
      out.append(
          "          - { authenticated: { principal_name: { exact: \"%s\" } } }\n"
              .formatted(spiffeId(peer.name())));
    }
    return out.toString();
  }

  private static String outbound(MeshState.Node node, String managerOptions) {
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
        .formatted(node.outboundPort(), managerOptions);
  }

  /**
   * What both connection managers of a node share, indented for the outbound one: the access log
   * (when {@code accessLog} is not null) and the tracing block (when the layout traces).
   */
  static String managerOptions(String accessLog, MeshLayout layout) {
    String log = accessLogBlock(accessLog);
    String tracing = layout.tracesToZipkin() ? ZIPKIN_TRACING : "";
    return log.isEmpty() || tracing.isEmpty() ? log + tracing : log + "\n" + tracing;
  }

  /** The cluster of the Zipkin collector, when the layout has one. */
  static final String ZIPKIN_CLUSTER = "zipkin";

  /** Envoy's Zipkin tracer, every request sampled, spans to {@link #ZIPKIN_CLUSTER}. */
  private static final String ZIPKIN_TRACING =
      """
              tracing:
                provider:
                  name: envoy.tracers.zipkin
                  typed_config:
                    "@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig
                    collector_cluster: zipkin
                    collector_endpoint: /api/v2/spans
                    collector_endpoint_version: HTTP_JSON
                    shared_span_context: false
                    trace_id_128bit: true"""
          .indent(8)
          .stripTrailing();

  /** The access log block of a connection manager; empty when {@code path} is null. */
  private static String accessLogBlock(String path) {
    if (path == null) {
      return "";
    }
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
