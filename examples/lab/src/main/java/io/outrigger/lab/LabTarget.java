package io.outrigger.lab;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.store.KvStoreAdapter;
import io.outrigger.lab.store.StoreAdapter;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the lab runs against.
 *
 * @param storeUrls node name to the store's URL through that node's sidecar (its inbound listener),
 *     e.g. {@code n1 -> http://127.0.0.1:15001}, or, for a store without sidecars, its own client
 *     URL; at least one node, at least two for a nemesis other than {@code none}
 * @param controlPlane the control plane's HTTP base URL (the fault API lives under {@code
 *     /v1/faults}); only used when the nemesis is not {@code none}, may then be null
 * @param controlPlaneToken the lab's API token (scopes status and faults), sent as {@code
 *     authorization: Bearer}; empty for a control plane without tokens
 * @param store opens the adapter that speaks the store's protocol (default: the project's store,
 *     {@link KvStoreAdapter})
 */
public record LabTarget(
    Map<String, URI> storeUrls,
    URI controlPlane,
    Optional<String> controlPlaneToken,
    StoreAdapter.Factory store) {
  public LabTarget {
    requireNonNull(storeUrls, "storeUrls");
    requireNonNull(controlPlaneToken, "controlPlaneToken");
    requireNonNull(store, "store");
    if (storeUrls.isEmpty()) {
      throw new IllegalArgumentException("storeUrls: {} (expected: at least one node)");
    }
    storeUrls = Map.copyOf(new TreeMap<>(storeUrls));
  }

  /** The project's store. */
  public LabTarget(
      Map<String, URI> storeUrls, URI controlPlane, Optional<String> controlPlaneToken) {
    this(storeUrls, controlPlane, controlPlaneToken, KvStoreAdapter::open);
  }

  /** The project's store, with a control plane without tokens. */
  public LabTarget(Map<String, URI> storeUrls, URI controlPlane) {
    this(storeUrls, controlPlane, Optional.empty());
  }
}
