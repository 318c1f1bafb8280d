package io.outrigger.controlplane.xds;

import io.outrigger.controlplane.resources.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one ADS stream was sent and answered, per resource type. Written by gRPC's threads through
 * {@link SyncTracker}; every method is synchronized.
 */
final class StreamState {
  /** The types a proxy subscribes to whole; it asks for the others by the names these give. */
  private static final Set<ResourceType> WILDCARD_TYPES =
      EnumSet.of(ResourceType.CLUSTER, ResourceType.LISTENER);

  /** One type on this stream. */
  static final class TypeState {
    boolean requested;
    String sentVersion;
    String sentNonce;
    String ackedVersion;
    String nackError;
    String nackedVersion;
    Duration pushToAck;
  }

  private final Instant connectedSince;
  private final String address;
  private final Map<ResourceType, TypeState> types = new EnumMap<>(ResourceType.class);
  private String nodeId = "";
  private String nodeCluster = "";

  StreamState(Instant connectedSince, String address) {
    this.connectedSince = connectedSince;
    this.address = address;
  }

  Instant connectedSince() {
    return connectedSince;
  }

  synchronized void node(String id, String cluster) {
    nodeId = id;
    nodeCluster = cluster;
  }

  synchronized String nodeCluster() {
    return nodeCluster;
  }

  /**
   * A request of {@code type}. The first request of a stream (no nonce) says which version the
   * proxy already holds, from an earlier stream: when the control plane restarted with the same
   * content, that version is current and nothing is sent, yet the proxy is in sync.
   */
  synchronized void requested(ResourceType type, String versionInfo, String nonce) {
    TypeState t = type(type);
    t.requested = true;
    if (nonce.isEmpty() && !versionInfo.isEmpty() && t.sentVersion == null) {
      t.ackedVersion = versionInfo;
    }
  }

  synchronized void sent(ResourceType type, String version, String nonce) {
    TypeState t = type(type);
    t.sentVersion = version;
    t.sentNonce = nonce;
    // java-control-plane sends a refused version again; it stays refused until another is sent.
    if (!version.equals(t.nackedVersion)) {
      t.nackError = null;
      t.nackedVersion = null;
    }
  }

  /**
   * An ACK or NACK of the response with {@code nonce}; ignored when that is not the last response
   * of the type (a reply to a superseded response).
   *
   * @return the version acknowledged, when this was the ACK of the last response
   */
  synchronized Optional<String> answered(
      ResourceType type, String nonce, Optional<String> error, Duration sincePublication) {
    TypeState t = type(type);
    if (t.sentNonce == null || !t.sentNonce.equals(nonce)) {
      return Optional.empty();
    }
    if (error.isPresent()) {
      t.nackError = error.get();
      t.nackedVersion = t.sentVersion;
      return Optional.empty();
    }
    t.ackedVersion = t.sentVersion;
    t.pushToAck = sincePublication;
    return Optional.of(t.sentVersion);
  }

  /** Whether this stream answered {@code version} of {@code type}, or does not watch the type. */
  synchronized boolean answered(ResourceType type, String version) {
    TypeState t = types.get(type);
    if (t == null || !t.requested) {
      return true;
    }
    return version.equals(t.ackedVersion) || (t.nackError != null && version.equals(t.sentVersion));
  }

  synchronized String sentVersion(ResourceType type) {
    TypeState t = types.get(type);
    return t == null ? null : t.sentVersion;
  }

  /** The proxy's status, against the versions its group is published at. */
  synchronized ProxyStatus status(String group, Map<ResourceType, String> published) {
    boolean subscribedAllSynced = subscribedAllSynced(published);
    Map<ResourceType, ProxyStatus.TypeStatus> out = new EnumMap<>(ResourceType.class);
    for (ResourceType type : ResourceType.values()) {
      TypeState t = types.getOrDefault(type, new TypeState());
      String current = published.getOrDefault(type, "");
      SyncState state =
          !WILDCARD_TYPES.contains(type) && !t.requested && subscribedAllSynced
              ? SyncState.SYNCED
              : state(t, current);
      out.put(
          type,
          new ProxyStatus.TypeStatus(
              Optional.ofNullable(t.sentVersion),
              Optional.ofNullable(t.ackedVersion),
              current,
              state,
              Optional.ofNullable(t.nackError),
              Optional.ofNullable(t.pushToAck)));
    }
    return new ProxyStatus(nodeId, nodeCluster, group, address, connectedSince, out);
  }

  /**
   * Whether the proxy subscribed to clusters and listeners (the wildcard types) and holds the
   * current version of every type it subscribed to. A type subscribed by name only when a cluster
   * or listener names it (EDS, RDS) that it never asked for is then SYNCED too: it needs none of it
   * (a proxy whose listeners are all {@code tcp_proxy} never subscribes to RDS, one with only
   * static endpoints never to EDS), and it runs all it was sent.
   */
  private boolean subscribedAllSynced(Map<ResourceType, String> published) {
    for (ResourceType root : WILDCARD_TYPES) {
      TypeState t = types.get(root);
      if (t == null || !t.requested) {
        return false;
      }
    }
    for (Map.Entry<ResourceType, TypeState> e : types.entrySet()) {
      TypeState t = e.getValue();
      if (t.requested && state(t, published.getOrDefault(e.getKey(), "")) != SyncState.SYNCED) {
        return false;
      }
    }
    return true;
  }

  private static SyncState state(TypeState t, String current) {
    if (t.sentVersion == null) {
      return current.equals(t.ackedVersion) ? SyncState.SYNCED : SyncState.NOT_SENT;
    }
    if (t.nackError != null) {
      return SyncState.NACKED;
    }
    return current.equals(t.ackedVersion) ? SyncState.SYNCED : SyncState.STALE;
  }

  private TypeState type(ResourceType type) {
    return types.computeIfAbsent(type, k -> new TypeState());
  }
}
