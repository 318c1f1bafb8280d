package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.overload.OverloadManagerConfig;
import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.api.model.tls.SecretConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated, translated bootstrap: everything the data plane needs to start.
 *
 * @param node who this sidecar is
 * @param admin where the admin server listens; empty means no admin server
 * @param listeners static listeners, names unique
 * @param clusters static clusters, names unique
 * @param dynamicResources listeners and clusters discovered over ADS; empty means a static
 *     bootstrap
 * @param secrets {@code static_resources.secrets} by name: what TLS contexts find with an {@code
 *     SdsSecretConfig} without {@code sds_config}
 * @param overloadManager the {@code overload_manager}; empty means none (no monitor, no action)
 * @param stats the {@code stats_config}; default {@link StatsConfig#DEFAULT}
 */
public record BootstrapConfig(
    NodeConfig node,
    Optional<AdminConfig> admin,
    List<ListenerConfig> listeners,
    List<ClusterConfig> clusters,
    Optional<DynamicResourcesConfig> dynamicResources,
    Map<String, SecretConfig> secrets,
    Optional<OverloadManagerConfig> overloadManager,
    StatsConfig stats) {

  public BootstrapConfig {
    requireNonNull(stats, "stats");
    secrets = Map.copyOf(requireNonNull(secrets, "secrets"));
    requireNonNull(overloadManager, "overloadManager");
    requireNonNull(node, "node");
    requireNonNull(admin, "admin");
    listeners = List.copyOf(requireNonNull(listeners, "listeners"));
    clusters = List.copyOf(requireNonNull(clusters, "clusters"));
    requireNonNull(dynamicResources, "dynamicResources");
  }

  /** Envoy's default {@code stats_config}. */
  public BootstrapConfig(
      NodeConfig node,
      Optional<AdminConfig> admin,
      List<ListenerConfig> listeners,
      List<ClusterConfig> clusters,
      Optional<DynamicResourcesConfig> dynamicResources,
      Map<String, SecretConfig> secrets,
      Optional<OverloadManagerConfig> overloadManager) {
    this(
        node,
        admin,
        listeners,
        clusters,
        dynamicResources,
        secrets,
        overloadManager,
        StatsConfig.DEFAULT);
  }

  /** No overload manager. */
  public BootstrapConfig(
      NodeConfig node,
      Optional<AdminConfig> admin,
      List<ListenerConfig> listeners,
      List<ClusterConfig> clusters,
      Optional<DynamicResourcesConfig> dynamicResources,
      Map<String, SecretConfig> secrets) {
    this(node, admin, listeners, clusters, dynamicResources, secrets, Optional.empty());
  }

  /** No static secrets. */
  public BootstrapConfig(
      NodeConfig node,
      Optional<AdminConfig> admin,
      List<ListenerConfig> listeners,
      List<ClusterConfig> clusters,
      Optional<DynamicResourcesConfig> dynamicResources) {
    this(node, admin, listeners, clusters, dynamicResources, Map.of());
  }

  /** A static bootstrap: no {@code dynamic_resources}. */
  public BootstrapConfig(
      NodeConfig node,
      Optional<AdminConfig> admin,
      List<ListenerConfig> listeners,
      List<ClusterConfig> clusters) {
    this(node, admin, listeners, clusters, Optional.empty());
  }
}
