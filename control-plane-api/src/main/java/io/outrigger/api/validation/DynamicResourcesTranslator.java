package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.DynamicResources;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.outrigger.api.model.AdsConfig;
import io.outrigger.api.model.AdsSourceConfig;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DynamicResourcesConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Translates the bootstrap's {@code dynamic_resources}: one aggregated stream (ADS, state of the
 * world over gRPC, v3) to a control plane named by a static cluster ({@code envoy_grpc}) or a gRPC
 * target ({@code google_grpc}); {@code lds_config} and {@code cds_config} are {@code ads: {}}.
 * Unsupported fields have already been refused by {@link SupportedFieldsCheck}.
 */
final class DynamicResourcesTranslator {
  private static final String PATH = "dynamic_resources";

  private DynamicResourcesTranslator() {}

  /**
   * @param staticClusters the bootstrap's static clusters by name, which {@code envoy_grpc} may
   *     name
   */
  static DynamicResourcesConfig translate(
      DynamicResources proto, Map<String, ClusterConfig> staticClusters) throws ConfigException {
    String adsPath = Paths.field(PATH, "ads_config");
    if (!proto.hasAdsConfig()) {
      throw ConfigException.at(
          adsPath, "required (Outrigger discovers resources over one aggregated stream only)");
    }
    AdsConfig ads = ads(proto.getAdsConfig(), adsPath, staticClusters);
    Optional<AdsSourceConfig> cds =
        proto.hasCdsConfig()
            ? Optional.of(source(proto.getCdsConfig(), Paths.field(PATH, "cds_config")))
            : Optional.empty();
    Optional<AdsSourceConfig> lds =
        proto.hasLdsConfig()
            ? Optional.of(source(proto.getLdsConfig(), Paths.field(PATH, "lds_config")))
            : Optional.empty();
    return new DynamicResourcesConfig(ads, cds, lds);
  }

  private static AdsConfig ads(
      ApiConfigSource proto, String path, Map<String, ClusterConfig> staticClusters)
      throws ConfigException {
    if (proto.getApiType() != ApiConfigSource.ApiType.GRPC) {
      throw ConfigException.at(
          Paths.field(path, "api_type"),
          proto.getApiType()
              + " not supported (expected: GRPC, state of the world; delta xDS does not exist"
              + " yet)");
    }
    ApiVersion version = proto.getTransportApiVersion();
    if (version != ApiVersion.AUTO && version != ApiVersion.V3) {
      throw ConfigException.at(
          Paths.field(path, "transport_api_version"), version + " not supported (expected: V3)");
    }
    if (proto.getGrpcServicesCount() != 1) {
      throw ConfigException.at(
          Paths.field(path, "grpc_services"),
          proto.getGrpcServicesCount() + " services (expected: exactly one)");
    }
    return grpcService(
        proto.getGrpcServices(0), Paths.item(path, "grpc_services", 0), staticClusters);
  }

  private static AdsConfig grpcService(
      GrpcService proto, String path, Map<String, ClusterConfig> staticClusters)
      throws ConfigException {
    if (proto.hasEnvoyGrpc()) {
      String clusterPath = Paths.field(path, "envoy_grpc.cluster_name");
      String name = proto.getEnvoyGrpc().getClusterName();
      if (name.isEmpty()) {
        throw ConfigException.at(clusterPath, "required");
      }
      ClusterConfig cluster = staticClusters.get(name);
      if (cluster == null) {
        throw ConfigException.at(
            clusterPath, "unknown cluster \"" + name + "\" (expected: a static cluster)");
      }
      if (cluster.endpoints().isEmpty()) {
        throw ConfigException.at(clusterPath, "cluster \"" + name + "\" has no endpoint");
      }
      if (cluster.tls().isPresent() && cluster.tls().get().common().usesSecrets()) {
        throw ConfigException.at(
            clusterPath,
            "cluster \""
                + name
                + "\" takes its TLS certificate or validation context from SDS,"
                + " which would come over the stream it secures (expected: files or inline PEM)");
      }
      return new AdsConfig.EnvoyGrpc(name, initialMetadata(proto, path));
    }
    if (proto.hasGoogleGrpc()) {
      GrpcService.GoogleGrpc google = proto.getGoogleGrpc();
      if (google.getTargetUri().isEmpty()) {
        throw ConfigException.at(Paths.field(path, "google_grpc.target_uri"), "required");
      }
      if (google.getStatPrefix().isEmpty()) {
        throw ConfigException.at(Paths.field(path, "google_grpc.stat_prefix"), "required");
      }
      return new AdsConfig.GoogleGrpc(
          google.getTargetUri(), google.getStatPrefix(), initialMetadata(proto, path));
    }
    throw ConfigException.at(path, "no gRPC client (expected: envoy_grpc or google_grpc)");
  }

  /**
   * {@code initial_metadata}: keys are gRPC metadata keys (lower case, no pseudo-header, not
   * binary), values printable ASCII.
   */
  static Map<String, String> initialMetadata(GrpcService proto, String path)
      throws ConfigException {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < proto.getInitialMetadataCount(); i++) {
      String at = Paths.item(path, "initial_metadata", i);
      String key = proto.getInitialMetadata(i).getKey();
      String value = proto.getInitialMetadata(i).getValue();
      if (!key.matches("[a-z0-9_.-]+") || key.endsWith("-bin")) {
        throw ConfigException.at(
            Paths.field(at, "key"),
            "\"" + key + "\" (expected: a lower-case gRPC metadata key, not -bin)");
      }
      if (!value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        throw ConfigException.at(Paths.field(at, "value"), "not printable ASCII");
      }
      if (out.put(key, value) != null) {
        throw ConfigException.at(Paths.field(at, "key"), "\"" + key + "\" given twice");
      }
    }
    return out;
  }

  private static AdsSourceConfig source(ConfigSource proto, String path) throws ConfigException {
    if (!proto.hasAds()) {
      throw ConfigException.at(
          path, "no config source (expected: ads: {}, the aggregated discovery stream)");
    }
    ApiVersion version = proto.getResourceApiVersion();
    if (version != ApiVersion.AUTO && version != ApiVersion.V3) {
      throw ConfigException.at(
          Paths.field(path, "resource_api_version"), version + " not supported (expected: V3)");
    }
    if (!proto.hasInitialFetchTimeout()) {
      return AdsSourceConfig.DEFAULT;
    }
    Duration timeout =
        ProtoValues.duration(
            proto.getInitialFetchTimeout(), Paths.field(path, "initial_fetch_timeout"));
    return new AdsSourceConfig(timeout);
  }
}
