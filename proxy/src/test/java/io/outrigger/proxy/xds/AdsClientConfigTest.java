package io.outrigger.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.config.BootstrapLoader;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdsClientConfigTest {
  private static final String ADS =
      """
      node: { id: sidecar-1, cluster: kv }
      dynamic_resources:
        ads_config:
          api_type: GRPC
          grpc_services:
          - envoy_grpc: { cluster_name: xds_cluster }
        cds_config: { ads: {}, initial_fetch_timeout: 5s }
        lds_config: { ads: {}, initial_fetch_timeout: 20s }
      static_resources:
        clusters:
        - name: xds_cluster
          load_assignment:
            cluster_name: xds_cluster
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: "::1", port_value: 18000 } } }
              - endpoint: { address: { socket_address: { address: 127.0.0.2, port_value: 1 } } }
      """;

  private static AdsClientConfig fromBootstrap(String yaml) throws Exception {
    BootstrapConfig bootstrap = BootstrapLoader.load(yaml, "sidecar.yaml", Map.of()).config();
    return AdsClientConfig.fromBootstrap(bootstrap, Clock.systemUTC(), new Random(1));
  }

  @Test
  void dialsEveryEndpointOfTheStaticClusterInOrderAndWaitsForTheLongestInitialFetch()
      throws Exception {
    AdsClientConfig config = fromBootstrap(ADS);

    // One target for every endpoint, in order: the stream fails over across them.
    assertThat(config.target()).isEqualTo("outrigger-xds:///%5B::1%5D:18000,127.0.0.2:1");
    assertThat(java.net.URI.create(config.target()).getPath())
        .isEqualTo("/[::1]:18000,127.0.0.2:1");
    assertThat(config.node().id()).isEqualTo("sidecar-1");
    assertThat(config.wildcardTypes())
        .containsExactlyInAnyOrder(XdsResourceType.CLUSTER, XdsResourceType.LISTENER);
    assertThat(config.initialFetchTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.backoffBase()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.backoffMax()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void googleGrpcTargetIsUsedAsItIsAndAZeroTimeoutWaitsForever() throws Exception {
    AdsClientConfig config =
        fromBootstrap(
            ADS.replace(
                    "- envoy_grpc: { cluster_name: xds_cluster }",
                    "- google_grpc: { target_uri: \"dns:///cp:18000\", stat_prefix: ads }")
                .replace("initial_fetch_timeout: 5s", "initial_fetch_timeout: 0s")
                .replace("  lds_config: { ads: {}, initial_fetch_timeout: 20s }\n", ""));

    assertThat(config.target()).isEqualTo("dns:///cp:18000");
    assertThat(config.wildcardTypes()).isEqualTo(Set.of(XdsResourceType.CLUSTER));
    assertThat(config.initialFetchTimeout()).isZero();
  }

  @Test
  void refusesAStaticBootstrap() throws Exception {
    String staticOnly = ADS.substring(ADS.indexOf("static_resources:"));

    assertThatThrownBy(() -> fromBootstrap(staticOnly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the bootstrap has no dynamic_resources");
  }
}
