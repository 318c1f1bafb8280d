package io.outrigger.proxy.testkit;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Bootstrap YAML for TLS tests: HTTP listeners whose chains name themselves in a header. */
public final class TlsBootstraps {
  private TlsBootstraps() {}

  /**
   * A filter chain whose connection manager routes everything to cluster {@code service} and adds
   * {@code x-chain: name} to responses.
   *
   * @param matchAndSocket {@code filter_chain_match} and {@code transport_socket} lines
   *     (unindented, as fields of the chain); may be empty
   * @param hcmExtra extra HttpConnectionManager fields (unindented)
   */
  public static String httpChain(String name, String matchAndSocket, String hcmExtra) {
    return """
        - name: %s
        %s
          filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stat_prefix: %s
              codec_type: AUTO
        %s
              route_config:
                name: routes
                virtual_hosts:
                - name: all
                  domains: ["*"]
                  response_headers_to_add:
                  - header: { key: x-chain, value: %s }
                  routes:
                  - match: { prefix: / }
                    route: { cluster: service }
              http_filters:
              - name: envoy.filters.http.router
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(
            name, Bootstraps.indent(matchAndSocket, 2), name, Bootstraps.indent(hcmExtra, 6), name);
  }

  /**
   * A sidecar with listener {@code ingress} (the given chains) in front of cluster {@code service}
   * at {@code 127.0.0.1:port}.
   *
   * @param clusterExtra extra Cluster fields (unindented), e.g. a transport_socket
   */
  public static String sidecar(int port, String clusterExtra, String... chains) {
    return """
        node: { id: test, cluster: test }
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
        static_resources:
          listeners:
          - name: ingress
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
        %s
          clusters:
          - name: service
            connect_timeout: 2s
        %s
            load_assignment:
              cluster_name: service
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: 127.0.0.1, port_value: %d }
        """
        .formatted(
            Bootstraps.indent(Arrays.stream(chains).collect(Collectors.joining("\n")), 4),
            Bootstraps.indent(clusterExtra, 4),
            port);
  }
}
