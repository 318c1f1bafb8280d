package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.UpstreamHttpOptions;
import io.outrigger.api.validation.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Clusters with a load-balancing policy and upstream HTTP options, written as Envoy's docs write.
 */
class ClusterHttpOptionsLoaderTest {
  /** Envoy's docs' form of an HTTP/2 upstream; line numbers below count from its first line. */
  private static final String HTTP2_MAGLEV =
      """
      static_resources:
        clusters:
        - name: grpc_backend
          connect_timeout: 0.25s
          type: STATIC
          lb_policy: MAGLEV
          maglev_lb_config:
            table_size: 5003
          typed_extension_protocol_options:
            envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
              "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              common_http_protocol_options:
                idle_timeout: 30s
                max_requests_per_connection: 1000
              explicit_http_config:
                http2_protocol_options:
                  max_concurrent_streams: 100
                  initial_stream_window_size: 65536
          load_assignment:
            cluster_name: grpc_backend
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: 8080 }
      """;

  @Test
  void readsHttp2UpstreamAndMaglevFromTypedExtensionProtocolOptions() throws Exception {
    ClusterConfig cluster = load(HTTP2_MAGLEV).config().clusters().get(0);

    assertThat(cluster.lbConfig()).isEqualTo(new LbConfig.Maglev(5003));
    assertThat(cluster.upstreamHttpOptions())
        .isEqualTo(
            new UpstreamHttpOptions(
                UpstreamHttpOptions.Protocol.HTTP2,
                Duration.ofSeconds(30),
                1000,
                Optional.empty(),
                100,
                65536,
                UpstreamHttpOptions.DEFAULT_WINDOW_SIZE));
  }

  @Test
  void readsHttp1UpstreamWrittenAsAnEmptyMappingWithEnvoyDefaults() throws Exception {
    String yaml =
        """
        static_resources:
          clusters:
          - name: backend
            lb_policy: LEAST_REQUEST
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config:
                  http_protocol_options: {}
        """;

    ClusterConfig cluster = load(yaml).config().clusters().get(0);

    assertThat(cluster.lbConfig()).isEqualTo(LbConfig.LeastRequest.DEFAULT);
    assertThat(cluster.upstreamHttpOptions()).isEqualTo(UpstreamHttpOptions.DEFAULT);
  }

  @Test
  void refusesAutoConfigWithTheLineOfTheField() {
    String yaml = HTTP2_MAGLEV.replace("explicit_http_config:", "auto_config:");

    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "sidecar.yaml: line 15: static_resources.clusters[0].typed_extension_protocol_options"
                + "[\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\"].auto_config: not"
                + " supported yet: choosing the protocol by ALPN comes with upstream TLS (expected:"
                + " explicit_http_config)");
  }

  @Test
  void refusesMaglevConfigUnderAnotherPolicy() {
    String yaml = HTTP2_MAGLEV.replace("lb_policy: MAGLEV", "lb_policy: RING_HASH");

    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "sidecar.yaml: line 7: static_resources.clusters[0].maglev_lb_config: configures"
                + " MAGLEV but lb_policy is RING_HASH (expected: lb_policy: MAGLEV, or remove it)");
  }

  private static LoadedBootstrap load(String yaml) throws ConfigException {
    return BootstrapLoader.load(yaml, "sidecar.yaml", Map.of());
  }
}
