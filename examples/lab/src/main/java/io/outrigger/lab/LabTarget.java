package io.outrigger.lab;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the lab runs against.
 *
 * @param storeUrls node name to the store's URL through that node's sidecar (its inbound listener),
 *     e.g. {@code n1 -> http://127.0.0.1:15001}; at least one node, at least two for a nemesis
 *     other than {@code none}
 * @param controlPlane the control plane's HTTP base URL (the fault API lives under {@code
 *     /v1/faults}); only used when the nemesis is not {@code none}, may then be null
 */
public record LabTarget(Map<String, URI> storeUrls, URI controlPlane) {
  public LabTarget {
    requireNonNull(storeUrls, "storeUrls");
    if (storeUrls.isEmpty()) {
      throw new IllegalArgumentException("storeUrls: {} (expected: at least one node)");
    }
    storeUrls = Map.copyOf(new TreeMap<>(storeUrls));
  }
}
