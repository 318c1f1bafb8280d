package io.outrigger.lab;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the lab runs against.
 *
 * @param storeUrls node name to the store's URL through that node's sidecar (its inbound listener),
 *     e.g. {@code n1 -> http://127.0.0.1:15001}; at least one node, at least two for a nemesis
 *     other than {@code none}
 * @param controlPlane the control plane's HTTP base URL (the fault API lives under {@code
 *     /v1/faults}); only used when the nemesis is not {@code none}, may then be null
 * @param controlPlaneToken the lab's API token (scopes status and faults), sent as {@code
 *     authorization: Bearer}; empty for a control plane without tokens
 */
public record LabTarget(
    Map<String, URI> storeUrls, URI controlPlane, Optional<String> controlPlaneToken) {
  public LabTarget {
    requireNonNull(storeUrls, "storeUrls");
    requireNonNull(controlPlaneToken, "controlPlaneToken");
    if (storeUrls.isEmpty()) {
      throw new IllegalArgumentException("storeUrls: {} (expected: at least one node)");
    }
    storeUrls = Map.copyOf(new TreeMap<>(storeUrls));
  }

  /** Against a control plane without tokens. */
  public LabTarget(Map<String, URI> storeUrls, URI controlPlane) {
    this(storeUrls, controlPlane, Optional.empty());
  }
}
