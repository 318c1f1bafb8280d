package io.outrigger.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.outrigger.proxy.xds.SecretRedaction;
import io.outrigger.proxy.xds.XdsResourceType;
import io.outrigger.proxy.xds.XdsStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /config_dump}: the effective configuration as Envoy's {@code admin.v3.ConfigDump}, so that
 * tools written for Envoy's dump read ours.
 */
final class ConfigDumpView {
  private ConfigDumpView() {}

  static String render(
      Bootstrap bootstrap, Instant loadedAt, Optional<DynamicResourcesView> dynamic) {
    Timestamp at = timestamp(loadedAt);
    ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder();
    for (Listener l : bootstrap.getStaticResources().getListenersList()) {
      listeners.addStaticListeners(
          ListenersConfigDump.StaticListener.newBuilder()
              .setListener(Any.pack(l))
              .setLastUpdated(at));
    }
    ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder();
    for (Cluster c : bootstrap.getStaticResources().getClustersList()) {
      clusters.addStaticClusters(
          ClustersConfigDump.StaticCluster.newBuilder().setCluster(Any.pack(c)).setLastUpdated(at));
    }
    RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
    EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
    dynamic.ifPresent(d -> addDynamic(d, clusters, listeners, routes, endpoints));
    // Private keys never leave the sidecar: inline keys are redacted, in the bootstrap too.
    Bootstrap.Builder shown = bootstrap.toBuilder();
    SecretsConfigDump.Builder secrets = SecretsConfigDump.newBuilder();
    for (int i = 0; i < shown.getStaticResources().getSecretsCount(); i++) {
      Secret redacted = SecretRedaction.redact(shown.getStaticResources().getSecrets(i));
      shown.getStaticResourcesBuilder().setSecrets(i, redacted);
      secrets.addStaticSecrets(
          SecretsConfigDump.StaticSecret.newBuilder()
              .setName(redacted.getName())
              .setSecret(Any.pack(redacted))
              .setLastUpdated(at));
    }
    dynamic.ifPresent(d -> addSecrets(d, secrets));
    ConfigDump dump =
        ConfigDump.newBuilder()
            .addConfigs(
                Any.pack(
                    BootstrapConfigDump.newBuilder()
                        .setBootstrap(shown)
                        .setLastUpdated(at)
                        .build()))
            .addConfigs(Any.pack(clusters.build()))
            .addConfigs(Any.pack(listeners.build()))
            .addConfigs(Any.pack(routes.build()))
            .addConfigs(Any.pack(endpoints.build()))
            .addConfigs(Any.pack(secrets.build()))
            .build();
    return ProtoJson.print(dump);
  }

  /**
   * Each resource that arrived over xDS with the version it came in and when it last changed, and
   * per type the version in force. Refused updates are not shown here: the control plane's status
   * and the {@code xds_update_rejected} metric carry them.
   */
  private static void addDynamic(
      DynamicResourcesView d,
      ClustersConfigDump.Builder clusters,
      ListenersConfigDump.Builder listeners,
      RoutesConfigDump.Builder routes,
      EndpointsConfigDump.Builder endpoints) {
    Map<XdsResourceType, XdsStatus.TypeResources> all = d.resources();
    XdsStatus.TypeResources cds =
        all.getOrDefault(XdsResourceType.CLUSTER, XdsStatus.TypeResources.NONE);
    clusters.setVersionInfo(cds.version());
    cds.resources()
        .forEach(
            (name, r) ->
                clusters.addDynamicActiveClusters(
                    ClustersConfigDump.DynamicCluster.newBuilder()
                        .setVersionInfo(cds.version())
                        .setCluster(Any.pack(r.resource()))
                        .setLastUpdated(timestamp(r.lastUpdated()))));
    XdsStatus.TypeResources lds =
        all.getOrDefault(XdsResourceType.LISTENER, XdsStatus.TypeResources.NONE);
    listeners.setVersionInfo(lds.version());
    lds.resources()
        .forEach(
            (name, r) ->
                listeners.addDynamicListeners(
                    ListenersConfigDump.DynamicListener.newBuilder()
                        .setName(name)
                        .setActiveState(
                            ListenersConfigDump.DynamicListenerState.newBuilder()
                                .setVersionInfo(lds.version())
                                .setListener(Any.pack(r.resource()))
                                .setLastUpdated(timestamp(r.lastUpdated())))));
    XdsStatus.TypeResources rds =
        all.getOrDefault(XdsResourceType.ROUTE, XdsStatus.TypeResources.NONE);
    rds.resources()
        .forEach(
            (name, r) ->
                routes.addDynamicRouteConfigs(
                    RoutesConfigDump.DynamicRouteConfig.newBuilder()
                        .setVersionInfo(rds.version())
                        .setRouteConfig(Any.pack(r.resource()))
                        .setLastUpdated(timestamp(r.lastUpdated()))));
    XdsStatus.TypeResources eds =
        all.getOrDefault(XdsResourceType.ENDPOINT, XdsStatus.TypeResources.NONE);
    eds.resources()
        .forEach(
            (name, r) ->
                endpoints.addDynamicEndpointConfigs(
                    EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
                        .setVersionInfo(eds.version())
                        .setEndpointConfig(Any.pack(r.resource()))
                        .setLastUpdated(timestamp(r.lastUpdated()))));
  }

  /** Secrets from SDS, already redacted by the dynamic configuration. */
  private static void addSecrets(DynamicResourcesView d, SecretsConfigDump.Builder secrets) {
    XdsStatus.TypeResources sds =
        d.resources().getOrDefault(XdsResourceType.SECRET, XdsStatus.TypeResources.NONE);
    sds.resources()
        .forEach(
            (name, r) ->
                secrets.addDynamicActiveSecrets(
                    SecretsConfigDump.DynamicSecret.newBuilder()
                        .setName(name)
                        .setVersionInfo(sds.version())
                        .setSecret(Any.pack(r.resource()))
                        .setLastUpdated(timestamp(r.lastUpdated()))));
  }

  private static Timestamp timestamp(Instant at) {
    Instant t = at == null ? Instant.EPOCH : at;
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
