package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Snapshot;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The snapshot cache as the discovery server sees it, with one change: a NACK is not answered with
 * the version it refused.
 *
 * <p>A NACK carries the last version the proxy accepted, which differs from the one the cache
 * holds, so java-control-plane's {@code SimpleCache} would answer it at once with the same
 * snapshot, which the proxy refuses again: a loop of NACKs (about 200 a second against an Outrigger
 * sidecar, which does not rate-limit its requests) until something new is published. Here a NACK
 * opens its watch at the version the cache holds, so the proxy hears again only when that version
 * changes, as Envoy's own control planes behave in practice.
 */
final class NackAwareWatcher implements ConfigWatcher {
  private final SimpleCache<String> cache;
  private final NodeGroup<String> groups;

  NackAwareWatcher(SimpleCache<String> cache, NodeGroup<String> groups) {
    this.cache = requireNonNull(cache, "cache");
    this.groups = requireNonNull(groups, "groups");
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    return cache.createWatch(
        ads,
        request.hasErrorDetail() ? atCurrentVersion(request) : request,
        knownResourceNames,
        responseConsumer,
        hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  private XdsRequest atCurrentVersion(XdsRequest nack) {
    Snapshot snapshot = cache.getSnapshot(groups.hash(nack.v3Request().getNode()));
    if (snapshot == null || nack.getResourceType() == null) {
      return nack;
    }
    String current = snapshot.version(nack.getResourceType(), nack.getResourceNamesList());
    return XdsRequest.create(nack.v3Request().toBuilder().setVersionInfo(current).build());
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
    return cache.createDeltaWatch(
        request,
        requesterVersion,
        resourceVersions,
        pendingResources,
        isWildcard,
        responseConsumer,
        hasClusterChanged);
  }
}
