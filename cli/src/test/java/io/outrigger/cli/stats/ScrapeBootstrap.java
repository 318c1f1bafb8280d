package io.outrigger.cli.stats;

/**
 * The sidecar of {@link PrometheusScrapeProcessIT}: cluster {@code service} with a good and a bad
 * host, retries on 5xx and outlier detection that ejects the bad one; {@code flaky}, one host that
 * fails one request in four, retried once; {@code limited}, whose circuit breaker opens at one
 * request.
 */
final class ScrapeBootstrap {
  private ScrapeBootstrap() {}

  static String yaml(int admin, int listen, int good, int bad) {
    return """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: %1$d }
        static_resources:
          listeners:
          - name: ingress
            address:
              socket_address: { address: 127.0.0.1, port_value: %2$d }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress_http
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: /hold }
                        route: { cluster: limited, timeout: 0s }
                      - match: { prefix: /flaky }
                        route:
                          cluster: flaky
                          retry_policy: { retry_on: 5xx, num_retries: 1 }
                      - match: { prefix: / }
                        route:
                          cluster: service
                          retry_policy: { retry_on: 5xx, num_retries: 2 }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: service
            connect_timeout: 1s
            outlier_detection:
              consecutive_5xx: 3
              interval: 1s
              base_ejection_time: 300s
              max_ejection_percent: 50
            load_assignment:
              cluster_name: service
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %3$d } } }
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %4$d } } }
          - name: flaky
            connect_timeout: 1s
            load_assignment:
              cluster_name: flaky
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %3$d } } }
          - name: limited
            connect_timeout: 1s
            circuit_breakers:
              thresholds:
              - max_requests: 1
            load_assignment:
              cluster_name: limited
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %3$d } } }
        """
        .formatted(admin, listen, good, bad);
  }
}
