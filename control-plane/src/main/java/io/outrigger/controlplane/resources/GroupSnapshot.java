package io.outrigger.controlplane.resources;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resources one node group is served, per type and sorted by name, with a version per type that
 * is a hash of that type's content: the same resources always have the same version, so an
 * unchanged type is never pushed again.
 */
public final class GroupSnapshot {
  private final Map<ResourceType, SortedMap<String, Message>> resources;
  private final Map<ResourceType, String> versions = new EnumMap<>(ResourceType.class);

  private GroupSnapshot(Map<ResourceType, SortedMap<String, Message>> resources) {
    this.resources = resources;
    for (ResourceType type : ResourceType.values()) {
      versions.put(type, hash(resources.get(type).values()));
    }
  }

  /** A snapshot of {@code resources}; a later resource of the same type and name wins. */
  public static GroupSnapshot of(List<? extends Message> resources) {
    Map<ResourceType, SortedMap<String, Message>> byType = empty();
    for (Message resource : resources) {
      byType.get(ResourceType.of(resource)).put(ResourceType.nameOf(resource), resource);
    }
    return new GroupSnapshot(byType);
  }

  /** The union of two snapshots for {@code type}, {@code newer} winning on a name. */
  static SortedMap<String, Message> union(
      GroupSnapshot older, GroupSnapshot newer, ResourceType t) {
    SortedMap<String, Message> out = new TreeMap<>(older.resources(t));
    out.putAll(newer.resources(t));
    return out;
  }

  /** A snapshot built from per-type maps. */
  static GroupSnapshot ofTypes(Map<ResourceType, ? extends Map<String, Message>> byType) {
    Map<ResourceType, SortedMap<String, Message>> out = empty();
    byType.forEach((type, map) -> out.get(type).putAll(map));
    return new GroupSnapshot(out);
  }

  /** The resources of {@code type}, by name. */
  public SortedMap<String, Message> resources(ResourceType type) {
    return Collections.unmodifiableSortedMap(resources.get(type));
  }

  /** The version of {@code type}: a hash of its resources. */
  public String version(ResourceType type) {
    return versions.get(type);
  }

  /** Every type's version, in make-before-break order. */
  public Map<ResourceType, String> versions() {
    return Collections.unmodifiableMap(versions);
  }

  /** As java-control-plane's snapshot, each type with its own version. */
  public Snapshot toSnapshot() {
    return Snapshot.create(
        typed(ResourceType.CLUSTER, Cluster.class),
        version(ResourceType.CLUSTER),
        typed(ResourceType.ENDPOINT, ClusterLoadAssignment.class),
        version(ResourceType.ENDPOINT),
        typed(ResourceType.LISTENER, Listener.class),
        version(ResourceType.LISTENER),
        typed(ResourceType.ROUTE, RouteConfiguration.class),
        version(ResourceType.ROUTE),
        List.of(),
        "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupSnapshot other && other.versions.equals(versions);
  }

  @Override
  public int hashCode() {
    return versions.hashCode();
  }

  @Override
  public String toString() {
    return versions.toString();
  }

  private <T extends Message> List<T> typed(ResourceType type, Class<T> cls) {
    return resources.get(type).values().stream().map(cls::cast).toList();
  }

  private static Map<ResourceType, SortedMap<String, Message>> empty() {
    Map<ResourceType, SortedMap<String, Message>> out = new EnumMap<>(ResourceType.class);
    for (ResourceType type : ResourceType.values()) {
      out.put(type, new TreeMap<>());
    }
    return out;
  }

  /** The first 12 hex digits of SHA-256 over the deterministic encoding, in name order. */
  private static String hash(Iterable<Message> resources) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Message resource : resources) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        resource.writeTo(out);
        out.flush();
        digest.update(bytes.toByteArray());
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
