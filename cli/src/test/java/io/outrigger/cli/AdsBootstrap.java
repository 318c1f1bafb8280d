package io.outrigger.cli;

/**
 * The bootstrap of a sidecar that gets every listener and cluster over ADS from a control plane on
 * 127.0.0.1: its node, optionally its admin address, and the {@code xds} cluster (HTTP/2).
 */
final class AdsBootstrap {
  private AdsBootstrap() {}

  /**
   * @param adminPort the admin server's port (0 picks one), or negative for no admin server
   */
  static String yaml(String nodeId, String cluster, int adminPort, int xdsPort) {
    String admin =
        adminPort < 0
            ? ""
            : "admin: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }\n"
                .formatted(adminPort);
    return """
        node: { id: %s, cluster: %s }
        %sdynamic_resources:
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
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """
        .formatted(nodeId, cluster, admin, xdsPort);
  }
}
