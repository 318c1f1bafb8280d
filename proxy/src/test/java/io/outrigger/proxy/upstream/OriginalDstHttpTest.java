package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An HTTP route to an {@code ORIGINAL_DST} cluster with {@code use_http_header}: each request goes
 * where its {@code x-envoy-original-dst-host} says, one host per destination.
 */
class OriginalDstHttpTest {
  private static final String YAML =
      """
      admin:
        address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      static_resources:
        listeners:
        - name: egress
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: egress
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: PassthroughCluster }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: PassthroughCluster
          type: ORIGINAL_DST
          lb_policy: CLUSTER_PROVIDED
          connect_timeout: 1s
          original_dst_lb_config: { use_http_header: true }
      """;

  @Test
  void eachRequestGoesWhereItsHeaderSaysAndOneWithoutFindsNoHost() throws Exception {
    try (HttpUpstream one = new HttpUpstream("one");
        HttpUpstream two = new HttpUpstream("two");
        SidecarFixture proxy = SidecarFixture.start(YAML, Map.of())) {
      InetSocketAddress egress = proxy.listener("egress");
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

      assertThat(send(client, egress, "127.0.0.1:" + one.port())).isEqualTo(200);
      assertThat(send(client, egress, "127.0.0.1:" + two.port())).isEqualTo(200);
      assertThat(send(client, egress, "127.0.0.1:" + two.port())).isEqualTo(200);
      assertThat(send(client, egress, null)).isEqualTo(503);

      assertThat(one.seen()).hasSize(1);
      assertThat(two.seen()).hasSize(2);
      Cluster passthrough =
          proxy.sidecar().clusters().stream()
              .filter(c -> c.name().equals("PassthroughCluster"))
              .findFirst()
              .orElseThrow();
      assertThat(passthrough.originalDstHosts().size()).isEqualTo(2);
    }
  }

  private static int send(HttpClient client, InetSocketAddress egress, String destination)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + egress.getPort() + "/x"))
            .timeout(Duration.ofSeconds(5));
    if (destination != null) {
      b.header("x-envoy-original-dst-host", destination);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
