package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.outrigger.controlplane.secrets.NodeSecrets;
import java.util.HashMap;
import java.util.Map;

/**
 * Tells {@link NodeSecrets} when a node has no discovery stream left, so that the control plane
 * stops renewing certificates for proxies that are gone. A stream belongs to the node named in its
 * requests (Envoy and Outrigger name it in every request by default); a node with several streams
 * (a reconnect that overlaps the old stream) is forgotten when the last one closes. Called on gRPC
 * threads; synchronized.
 */
final class SecretStreams implements DiscoveryServerCallbacks {
  private final NodeSecrets secrets;
  private final Map<Long, String> nodeOfStream = new HashMap<>();
  private final Map<String, Integer> streamsOfNode = new HashMap<>();

  SecretStreams(NodeSecrets secrets) {
    this.secrets = requireNonNull(secrets, "secrets");
  }

  @Override
  public synchronized void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    String node = request.getNode().getId().isEmpty() ? "" : NodeSecrets.key(request.getNode());
    if (!node.isEmpty() && !nodeOfStream.containsKey(streamId)) {
      nodeOfStream.put(streamId, node);
      streamsOfNode.merge(node, 1, Integer::sum);
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    // Delta xDS does not serve secrets here.
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  private synchronized void closed(long streamId) {
    String node = nodeOfStream.remove(streamId);
    if (node != null && streamsOfNode.merge(node, -1, Integer::sum) <= 0) {
      streamsOfNode.remove(node);
      secrets.forget(node);
    }
  }
}
