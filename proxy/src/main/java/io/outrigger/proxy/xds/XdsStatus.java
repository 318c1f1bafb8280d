package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the sidecar holds of each xDS type, for {@code /config_dump}: the accepted version, when it
 * was applied, and each resource (as its proto) with the time it last changed.
 *
 * <p>Threading: written by the dynamic configuration on the discovery client's thread; read from
 * any thread. Each type's status is an immutable snapshot behind a volatile map write.
 */
public final class XdsStatus {
  /** One resource in force and the time its content last changed. */
  public record ResourceStatus(Message resource, Instant lastUpdated) {
    public ResourceStatus {
      requireNonNull(resource, "resource");
      requireNonNull(lastUpdated, "lastUpdated");
    }
  }

  /**
   * One type in force.
   *
   * @param version the last accepted {@code version_info}; empty before any
   * @param lastUpdated when it was accepted; {@code null} before any
   * @param resources by name, in name order
   */
  public record TypeResources(
      String version, Instant lastUpdated, Map<String, ResourceStatus> resources) {
    public static final TypeResources NONE = new TypeResources("", null, Map.of());

    public TypeResources {
      requireNonNull(version, "version");
      resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }
  }

  private final Clock clock;
  private volatile Map<XdsResourceType, TypeResources> types = Map.of();

  XdsStatus(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  TypeResources of(XdsResourceType type) {
    return types.getOrDefault(type, TypeResources.NONE);
  }

  /**
   * Records an accepted response. For wildcard types (CDS, LDS) the response is the whole set; for
   * EDS and RDS, names absent from it keep their last version, as the data plane does.
   */
  void applied(XdsResourceType type, String version, Map<String, ? extends Message> resources) {
    Instant now = clock.instant();
    TypeResources before = of(type);
    Map<String, ResourceStatus> next =
        type.wildcard() ? new TreeMap<>() : new TreeMap<>(before.resources());
    for (Map.Entry<String, ? extends Message> e : resources.entrySet()) {
      ResourceStatus old = before.resources().get(e.getKey());
      boolean same = old != null && old.resource().equals(e.getValue());
      next.put(e.getKey(), same ? old : new ResourceStatus(e.getValue(), now));
    }
    Map<XdsResourceType, TypeResources> all = new EnumMap<>(XdsResourceType.class);
    all.putAll(types);
    all.put(type, new TypeResources(version, now, next));
    types = Collections.unmodifiableMap(all);
  }
}
