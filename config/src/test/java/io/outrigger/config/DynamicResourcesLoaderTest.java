package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.AdsConfig;
import io.outrigger.api.model.AdsSourceConfig;
import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.model.DynamicResourcesConfig;
import io.outrigger.api.validation.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DynamicResourcesLoaderTest {
  private static final String SOURCE = "sidecar.yaml";

  /** Envoy's documented ADS bootstrap; line numbers below count from its first line. */
  private static final String ADS =
      """
      node: { id: sidecar-1, cluster: kv }
      dynamic_resources:
        ads_config:
          api_type: GRPC
          transport_api_version: V3
          grpc_services:
          - envoy_grpc: { cluster_name: xds_cluster }
        cds_config: { resource_api_version: V3, ads: {} }
        lds_config: { resource_api_version: V3, ads: {}, initial_fetch_timeout: 3s }
      static_resources:
        clusters:
        - name: xds_cluster
          type: STATIC
          connect_timeout: 1s
          load_assignment:
            cluster_name: xds_cluster
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: 18000 }
      """;

  @Test
  void readsEnvoyAdsBootstrapWithDefaultsFilledAndNoStaticListener() throws Exception {
    BootstrapConfig config = load(ADS).config();

    assertThat(config.listeners()).isEmpty();
    assertThat(config.dynamicResources())
        .contains(
            new DynamicResourcesConfig(
                new AdsConfig.EnvoyGrpc("xds_cluster"),
                Optional.of(new AdsSourceConfig(Duration.ofSeconds(15))),
                Optional.of(new AdsSourceConfig(Duration.ofSeconds(3)))));
  }

  @Test
  void readsGoogleGrpcTargetAndLeavesAbsentSourcesEmpty() throws Exception {
    String yaml =
        """
        node: { id: sidecar-1 }
        dynamic_resources:
          ads_config:
            api_type: GRPC
            grpc_services:
            - google_grpc: { target_uri: "127.0.0.1:18000", stat_prefix: ads }
          cds_config: { ads: {}, initial_fetch_timeout: 0s }
        """;

    DynamicResourcesConfig dynamic = load(yaml).config().dynamicResources().orElseThrow();

    assertThat(dynamic.ads()).isEqualTo(new AdsConfig.GoogleGrpc("127.0.0.1:18000", "ads"));
    assertThat(dynamic.cds()).contains(new AdsSourceConfig(Duration.ZERO));
    assertThat(dynamic.lds()).isEmpty();
  }

  @Test
  void staticBootstrapHasNoDynamicResources() throws Exception {
    String yaml = ADS.substring(ADS.indexOf("static_resources:"));

    assertThat(load(yaml).config().dynamicResources()).isEmpty();
  }

  @Test
  void refusesDeltaGrpcByFieldPath() {
    assertRefused(
        ADS.replace("api_type: GRPC", "api_type: DELTA_GRPC"),
        "sidecar.yaml: line 4: dynamic_resources.ads_config.api_type: DELTA_GRPC not supported"
            + " (expected: GRPC, state of the world; delta xDS does not exist yet)");
  }

  @Test
  void refusesUnsupportedApiConfigSourceFieldsByName() {
    assertRefused(
        ADS.replace("api_type: GRPC", "api_type: GRPC\n    set_node_on_first_message_only: true"),
        "sidecar.yaml: line 5: dynamic_resources.ads_config.set_node_on_first_message_only: field"
            + " not supported by Outrigger (see docs/configuration.md)");
    assertRefused(
        ADS.replace("api_type: GRPC", "api_type: GRPC\n    rate_limit_settings: {}"),
        "sidecar.yaml: line 5: dynamic_resources.ads_config.rate_limit_settings: field not"
            + " supported by Outrigger (see docs/configuration.md)");
  }

  @Test
  void refusesRestConfigSourceForListeners() {
    assertRefused(
        ADS.replace(
            "lds_config: { resource_api_version: V3, ads: {}, initial_fetch_timeout: 3s }",
            "lds_config: { path_config_source: { path: /etc/lds.yaml } }"),
        "sidecar.yaml: line 9: dynamic_resources.lds_config.path_config_source: field not"
            + " supported by Outrigger (see docs/configuration.md)");
  }

  @Test
  void refusesAnEnvoyGrpcClusterThatIsNotStatic() {
    assertRefused(
        ADS.replace("cluster_name: xds_cluster }", "cluster_name: elsewhere }"),
        "sidecar.yaml: line 7:"
            + " dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name: unknown"
            + " cluster \"elsewhere\" (expected: a static cluster)");
  }

  @Test
  void refusesMissingNodeIdAndMissingAdsConfig() {
    assertRefused(
        ADS.replace("node: { id: sidecar-1, cluster: kv }", "node: { cluster: kv }"),
        "sidecar.yaml: line 1: node.id: required with dynamic_resources (the control plane knows"
            + " a sidecar by it)");
    assertRefused(
        "node: { id: a }\ndynamic_resources:\n  cds_config: { ads: {} }\n",
        "sidecar.yaml: line 2: dynamic_resources.ads_config: required (Outrigger discovers"
            + " resources over one aggregated stream only)");
  }

  @Test
  void refusesTwoGrpcServicesAndV2() {
    assertRefused(
        ADS.replace(
            "- envoy_grpc: { cluster_name: xds_cluster }",
            "- envoy_grpc: { cluster_name: xds_cluster }\n    - envoy_grpc: { cluster_name: x }"),
        "sidecar.yaml: line 6: dynamic_resources.ads_config.grpc_services: 2 services (expected:"
            + " exactly one)");
    assertRefused(
        ADS.replace(
            "cds_config: { resource_api_version: V3", "cds_config: { resource_api_version: V2"),
        "sidecar.yaml: line 8: dynamic_resources.cds_config.resource_api_version: ");
  }

  @Test
  void readsInitialMetadataAndTheEnvoyGrpcClustersTls() throws Exception {
    String yaml =
        ADS.replace(
                "- envoy_grpc: { cluster_name: xds_cluster }",
                "- envoy_grpc: { cluster_name: xds_cluster }\n"
                    + "      initial_metadata:\n"
                    + "      - { key: authorization, value: \"Bearer ort_abc\" }")
            .replace(
                "    connect_timeout: 1s\n",
                withXdsTls(
                    "          validation_context:\n"
                        + "            trusted_ca: { inline_string: \"-----BEGIN CERTIFICATE-----\""
                        + " }\n"));

    BootstrapConfig config = load(yaml).config();

    assertThat(config.dynamicResources().orElseThrow().ads().initialMetadata())
        .isEqualTo(Map.of("authorization", "Bearer ort_abc"));
    assertThat(config.clusters().get(0).tls().orElseThrow().common().validation()).isPresent();
  }

  @Test
  void refusesBadInitialMetadataAndAnXdsClusterWhoseTlsComesOverSds() {
    String metadata =
        "- envoy_grpc: { cluster_name: xds_cluster }\n      initial_metadata:\n      - { key: %s,"
            + " value: v }";
    assertRefused(
        ADS.replace("- envoy_grpc: { cluster_name: xds_cluster }", metadata.formatted("Auth")),
        "sidecar.yaml: line 9:"
            + " dynamic_resources.ads_config.grpc_services[0].initial_metadata[0].key: \"Auth\""
            + " (expected: a lower-case gRPC metadata key, not -bin)");
    assertRefused(
        ADS.replace(
            "    connect_timeout: 1s\n",
            withXdsTls(
                "          validation_context_sds_secret_config:"
                    + " { name: ROOTCA, sds_config: { ads: {} } }\n")),
        "sidecar.yaml: line 7:"
            + " dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name: cluster"
            + " \"xds_cluster\" takes its TLS certificate or validation context from SDS");
  }

  /** The xds cluster's {@code connect_timeout} line followed by a TLS transport socket. */
  private static String withXdsTls(String commonTlsContext) {
    return "    connect_timeout: 1s\n"
        + "    transport_socket:\n"
        + "      name: envoy.transport_sockets.tls\n"
        + "      typed_config:\n"
        + "        \"@type\":"
        + " type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext\n"
        + "        common_tls_context:\n"
        + commonTlsContext;
  }

  private static LoadedBootstrap load(String yaml) throws ConfigException {
    return BootstrapLoader.load(yaml, SOURCE, Map.of());
  }

  private static void assertRefused(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
