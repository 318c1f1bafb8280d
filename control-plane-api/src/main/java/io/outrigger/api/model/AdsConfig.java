package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code dynamic_resources.ads_config}: where the aggregated discovery stream (ADS, state
 * of the world, {@code api_type: GRPC}) goes. Exactly one of Envoy's two gRPC clients names it.
 */
public sealed interface AdsConfig permits AdsConfig.EnvoyGrpc, AdsConfig.GoogleGrpc {

  /**
   * {@code grpc_services[0].envoy_grpc}: the control plane is the first endpoint of a static
   * cluster of the bootstrap.
   *
   * @param clusterName a cluster of {@code static_resources} with at least one endpoint
   */
  record EnvoyGrpc(String clusterName) implements AdsConfig {
    public EnvoyGrpc {
      requireNonNull(clusterName, "clusterName");
    }
  }

  /**
   * {@code grpc_services[0].google_grpc}: the control plane is a gRPC target.
   *
   * @param targetUri a gRPC target: {@code host:port} or {@code dns:///host:port}
   * @param statPrefix required, as in Envoy; names the client in logs
   */
  record GoogleGrpc(String targetUri, String statPrefix) implements AdsConfig {
    public GoogleGrpc {
      requireNonNull(targetUri, "targetUri");
      requireNonNull(statPrefix, "statPrefix");
    }
  }
}
