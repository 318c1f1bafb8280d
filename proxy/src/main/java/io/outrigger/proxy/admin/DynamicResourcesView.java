package io.outrigger.proxy.admin;

import io.outrigger.proxy.xds.TypeStatus;
import io.outrigger.proxy.xds.XdsResourceType;
import io.outrigger.proxy.xds.XdsStatus;
import java.util.Map;

/**
 * What {@code /config_dump} shows of the configuration that arrived over xDS. Implemented by the
 * sidecar's discovery; safe to read from the admin event loop (immutable snapshots, no lock).
 */
public interface DynamicResourcesView {
  /** Per type: the version in force, when it was applied, each resource and its last change. */
  Map<XdsResourceType, XdsStatus.TypeResources> resources();

  /** Per type: what the discovery client last accepted or refused (its NACK error). */
  Map<XdsResourceType, TypeStatus> clientStatus();
}
