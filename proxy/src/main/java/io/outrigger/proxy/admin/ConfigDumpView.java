package io.outrigger.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.time.Instant;

/**
 * {@code /config_dump}: the effective configuration as Envoy's {@code admin.v3.ConfigDump}, so that
 * tools written for Envoy's dump read ours.
 */
final class ConfigDumpView {
  private ConfigDumpView() {}

  static String render(Bootstrap bootstrap, Instant loadedAt) {
    Timestamp at =
        Timestamp.newBuilder()
            .setSeconds(loadedAt.getEpochSecond())
            .setNanos(loadedAt.getNano())
            .build();
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
    ConfigDump dump =
        ConfigDump.newBuilder()
            .addConfigs(
                Any.pack(
                    BootstrapConfigDump.newBuilder()
                        .setBootstrap(bootstrap)
                        .setLastUpdated(at)
                        .build()))
            .addConfigs(Any.pack(clusters.build()))
            .addConfigs(Any.pack(listeners.build()))
            .build();
    return ProtoJson.print(dump);
  }
}
