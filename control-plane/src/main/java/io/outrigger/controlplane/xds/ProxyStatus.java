package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.outrigger.controlplane.resources.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One connected proxy as {@code GET /v1/status} shows it.
 *
 * @param nodeId its {@code node.id}
 * @param nodeCluster its {@code node.cluster}
 * @param group the node group it is served
 * @param address its address as the control plane sees it
 * @param connectedSince when its stream opened
 * @param types per resource type, in make-before-break order
 */
public record ProxyStatus(
    String nodeId,
    String nodeCluster,
    String group,
    String address,
    Instant connectedSince,
    Map<ResourceType, TypeStatus> types) {
  public ProxyStatus {
    requireNonNull(nodeId, "nodeId");
    requireNonNull(group, "group");
    types = Map.copyOf(types);
  }

  /**
   * One resource type of one proxy.
   *
   * @param sent the version last sent; empty when none was
   * @param acked the version last acknowledged; empty when none was
   * @param published the version the proxy's group is published at
   * @param state SYNCED, STALE, NACKED or NOT_SENT
   * @param nackError the proxy's {@code error_detail.message} for the last version, when refused
   * @param pushToAck how long the last acknowledged version took from publication (or from the
   *     stream's opening, when later) to the ACK
   */
  public record TypeStatus(
      Optional<String> sent,
      Optional<String> acked,
      String published,
      SyncState state,
      Optional<String> nackError,
      Optional<Duration> pushToAck) {}
}
