package io.outrigger.controlplane.xds;

import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import java.util.Set;

/**
 * Maps a proxy to its node group: its {@code node.cluster} when the resource folder has a
 * sub-folder of that name, otherwise {@link SnapshotBuilder#DEFAULT_GROUP}. java-control-plane asks
 * on every request, so a proxy must send its {@code node} on every request of the stream (Envoy's
 * default); one that sends it only first is served the default group afterwards.
 */
public final class NodeGroups implements NodeGroup<String> {
  private volatile Set<String> known = Set.of();

  /** The groups that have a sub-folder, as the last good folder read had them. */
  public void setKnown(Set<String> groups) {
    known = Set.copyOf(groups);
  }

  @Override
  public String hash(Node node) {
    return groupOf(node.getCluster());
  }

  /** The group of a proxy whose {@code node.cluster} is {@code nodeCluster}. */
  public String groupOf(String nodeCluster) {
    return known.contains(nodeCluster) ? nodeCluster : SnapshotBuilder.DEFAULT_GROUP;
  }
}
