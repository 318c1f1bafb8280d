package io.outrigger.proxy.testkit;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Bootstrap YAML for the component tests: listeners and admin on port 0, loopback only. */
public final class Bootstraps {
  private Bootstraps() {}

  /**
   * One tcp_proxy listener {@code ingress} in front of cluster {@code service}, admin on a free
   * port.
   *
   * @param tcpExtras extra TcpProxy fields, one {@code key: value} per line (unindented)
   * @param clusterExtras extra Cluster fields, one per line (unindented)
   * @param endpoints the endpoints, from {@link #endpoint}
   */
  public static String tcpProxy(String tcpExtras, String clusterExtras, String... endpoints) {
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
            per_connection_buffer_limit_bytes: 65536
            filter_chains:
            - filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: ingress_tcp
                  cluster: service
        %s
          clusters:
          - name: service
            connect_timeout: 1s
            per_connection_buffer_limit_bytes: 65536
        %s
            load_assignment:
              cluster_name: service
              endpoints:
              - lb_endpoints:
        %s
        """
        .formatted(
            indent(tcpExtras, 10),
            indent(clusterExtras, 4),
            Arrays.stream(endpoints).collect(Collectors.joining("\n")));
  }

  /**
   * One HTTP connection manager listener named {@code listener} (also its stat prefix) that routes
   * everything to cluster {@code service} at 127.0.0.1:{@code upstreamPort}; admin on a free port.
   */
  public static String httpProxy(String listener, int upstreamPort) {
    return httpListener(
        listener,
        """
        - match: { prefix: / }
          route: { cluster: service }
        """,
        """
        - name: service
          connect_timeout: 1s
          load_assignment:
            cluster_name: service
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """
            .formatted(upstreamPort));
  }

  /**
   * One HTTP listener {@code edge} in front of cluster {@code h2}, which speaks HTTP/2 with prior
   * knowledge to 127.0.0.1 at the port of variable {@code H2}; requests under {@code retriedPrefix}
   * are retried on {@code refused-stream} (1 ms back-off), the others are not retried.
   */
  public static String http2Cluster(String retriedPrefix) {
    return httpListener(
        "edge",
        """
        - match: { prefix: %s }
          route:
            cluster: h2
            retry_policy:
              retry_on: refused-stream
              retry_back_off: { base_interval: 0.001s }
        - match: { prefix: / }
          route: { cluster: h2 }
        """
            .formatted(retriedPrefix),
        """
        - name: h2
          connect_timeout: 1s
          typed_extension_protocol_options:
            envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
              "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              explicit_http_config:
                http2_protocol_options: {}
          load_assignment:
            cluster_name: h2
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "${H2}" } } }
        """);
  }

  /**
   * Admin on a free port and one HTTP connection manager listener named {@code listener} (also its
   * stat prefix) with the router filter and one virtual host for every domain.
   *
   * @param routes the virtual host's routes, unindented
   * @param clusters the static clusters, unindented
   */
  private static String httpListener(String listener, String routes, String clusters) {
    return """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
        static_resources:
          listeners:
          - name: %1$s
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: %1$s
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
        %2$s
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
        %3$s
        """
        .formatted(listener, indent(routes, 14), indent(clusters, 2));
  }

  /** An {@code lb_endpoints} item for 127.0.0.1:port. */
  public static String endpoint(int port) {
    return endpoint("127.0.0.1", port);
  }

  public static String endpoint(String address, int port) {
    return "        - endpoint: { address: { socket_address: { address: "
        + address
        + ", port_value: "
        + port
        + " } } }";
  }

  /** {@code lines}, each indented by {@code n} spaces; empty for blank input. */
  public static String indent(String lines, int n) {
    if (lines.isBlank()) {
      return "";
    }
    String pad = " ".repeat(n);
    return lines.lines().map(l -> pad + l).collect(Collectors.joining("\n"));
  }
}
