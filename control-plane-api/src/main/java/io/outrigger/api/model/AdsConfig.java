package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Envoy's {@code dynamic_resources.ads_config}: where the aggregated discovery stream (ADS, state
 * of the world, {@code api_type: GRPC}) goes. Exactly one of Envoy's two gRPC clients names it.
 */
public sealed interface AdsConfig permits AdsConfig.EnvoyGrpc, AdsConfig.GoogleGrpc {

  /**
   * {@code grpc_services[0].initial_metadata}: gRPC metadata sent with the stream, by lower-case
   * key; a bearer token in {@code authorization} is how a sidecar proves who it is to Outrigger's
   * control plane. Default none.
   */
  Map<String, String> initialMetadata();

  /**
   * {@code grpc_services[0].envoy_grpc}: the control plane is the first endpoint of a static
   * cluster of the bootstrap.
   *
   * @param clusterName a cluster of {@code static_resources} with at least one endpoint; its {@code
   *     transport_socket} (an {@code UpstreamTlsContext}) makes the stream TLS
   * @param initialMetadata see {@link AdsConfig#initialMetadata()}
   */
  record EnvoyGrpc(String clusterName, Map<String, String> initialMetadata) implements AdsConfig {
    public EnvoyGrpc {
      requireNonNull(clusterName, "clusterName");
      initialMetadata = Map.copyOf(requireNonNull(initialMetadata, "initialMetadata"));
    }

    /** Without metadata. */
    public EnvoyGrpc(String clusterName) {
      this(clusterName, Map.of());
    }
  }

  /**
   * {@code grpc_services[0].google_grpc}: the control plane is a gRPC target.
   *
   * @param targetUri a gRPC target: {@code host:port} or {@code dns:///host:port}
   * @param statPrefix required, as in Envoy; names the client in logs
   * @param initialMetadata see {@link AdsConfig#initialMetadata()}
   */
  record GoogleGrpc(String targetUri, String statPrefix, Map<String, String> initialMetadata)
      implements AdsConfig {
    public GoogleGrpc {
      requireNonNull(targetUri, "targetUri");
      requireNonNull(statPrefix, "statPrefix");
      initialMetadata = Map.copyOf(requireNonNull(initialMetadata, "initialMetadata"));
    }

    /** Without metadata. */
    public GoogleGrpc(String targetUri, String statPrefix) {
      this(targetUri, statPrefix, Map.of());
    }
  }
}
