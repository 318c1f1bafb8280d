package io.outrigger.controlplane;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Resource files for tests, as an operator writes them. */
public final class Fixtures {
  private Fixtures() {}

  public static String edsCluster(String name) {
    return """
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: %s
          type: EDS
          connect_timeout: 0.25s
          eds_cluster_config:
            eds_config: { ads: {} }
        """
        .formatted(name);
  }

  public static String assignment(String name, int port) {
    return """
        - "@type": type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment
          cluster_name: %s
          endpoints:
          - lb_endpoints:
            - endpoint:
                address:
                  socket_address: { address: 127.0.0.1, port_value: %d }
        """
        .formatted(name, port);
  }

  public static String routes(String name, String cluster) {
    return """
        - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
          name: %s
          virtual_hosts:
          - name: all
            domains: ["*"]
            routes:
            - match: { prefix: / }
              route: { cluster: %s }
        """
        .formatted(name, cluster);
  }

  public static String listener(String name, int port, String routes) {
    return """
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: %s
          address:
            socket_address: { address: 127.0.0.1, port_value: %d }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                rds: { route_config_name: %s, config_source: { ads: {} } }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(name, port, routes);
  }

  /**
   * A control plane on free ports of 127.0.0.1 over {@code resources}, quick to notice changes, on
   * {@code clock}, with no variables.
   */
  public static ControlPlaneOptions options(Path resources, Clock clock) {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    return new ControlPlaneOptions(
        resources,
        any,
        any,
        Duration.ofMillis(50),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        clock,
        Map.of());
  }

  /** A consistent mesh: listener → routes → EDS cluster {@code cluster} → its assignment. */
  public static String mesh(String cluster, int port) {
    return edsCluster(cluster)
        + assignment(cluster, port)
        + routes("routes", cluster)
        + listener("ingress", 10000, "routes");
  }
}
