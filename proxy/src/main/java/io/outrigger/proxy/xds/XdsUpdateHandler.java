package io.outrigger.proxy.xds;

import com.google.protobuf.Message;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the discovery client ({@code AdsClient}) hands every xDS response to: the sidecar's dynamic
 * configuration, which validates the resources whole and applies them, or refuses them.
 *
 * <p>Threading: called on the discovery client's own thread (never an event loop), one call at a
 * time, in the order the responses arrived. It may block briefly (applying a change waits for
 * nothing slow), and must not call back into the client except through {@link Subscriptions}.
 */
public interface XdsUpdateHandler {

  /**
   * A state-of-the-world response: every resource of {@code type} the control plane has for this
   * sidecar (for wildcard types) or for the names the sidecar asked for.
   *
   * @param type the resource type
   * @param version the response's {@code version_info}
   * @param resources by name, unpacked from their {@code Any}; for a wildcard type, a name absent
   *     here means the resource was removed
   * @return empty to accept (the client ACKs); else a message naming the resource and field, which
   *     the client sends as the NACK's {@code error_detail} while the last good config stays in
   *     force
   */
  Optional<String> onResources(
      XdsResourceType type, String version, Map<String, ? extends Message> resources);

  /**
   * The names the sidecar needs of the non-wildcard types, as the data plane learns them (EDS
   * service names from clusters, route configuration names from listeners). The client sends a new
   * request whenever a set changes.
   */
  interface Subscriptions {
    /** Replaces the set of names wanted for {@code type}; a no-op when it did not change. */
    void want(XdsResourceType type, Set<String> names);
  }
}
