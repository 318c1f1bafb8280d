package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.outrigger.controlplane.secrets.NodeSecrets;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sends a stream's Secret requests to the per-node secret cache ({@link NodeSecrets}, issuing the
 * node's secrets on its first request) and every other type to the node groups' cache. Both go
 * through {@link NackAwareWatcher}, so a NACKed secret is not pushed again until it changes.
 */
final class SecretRoutingWatcher implements ConfigWatcher {
  private final ConfigWatcher resources;
  private final ConfigWatcher secretWatcher;
  private final NodeSecrets secrets;

  SecretRoutingWatcher(ConfigWatcher resources, NodeSecrets secrets) {
    this.resources = requireNonNull(resources, "resources");
    this.secrets = requireNonNull(secrets, "secrets");
    this.secretWatcher = new NackAwareWatcher(secrets.cache(), NodeSecrets.BY_NODE_ID);
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    if (!Resources.V3.SECRET_TYPE_URL.equals(request.v3Request().getTypeUrl())) {
      return resources.createWatch(
          ads,
          request,
          knownResourceNames,
          responseConsumer,
          hasClusterChanged,
          allowDefaultEmptyEdsUpdate);
    }
    Node node = request.v3Request().getNode();
    if (!node.getId().isEmpty()) {
      secrets.ensure(node);
    }
    return secretWatcher.createWatch(
        ads,
        request,
        knownResourceNames,
        responseConsumer,
        hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    return resources.createDeltaWatch(
        request,
        requesterVersion,
        resourceVersions,
        pendingResources,
        isWildcard,
        responseConsumer,
        hasClusterChanged);
  }
}
