package io.outrigger.proxy.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The discovery client's statistics, named after Envoy's {@code control_plane.connected_state} and
 * the per-subscription {@code update_attempt}, {@code update_success}, {@code update_rejected} and
 * {@code version}, with the type (CDS, EDS, LDS, RDS, SDS) as the label {@code type}.
 */
final class XdsClientStats {
  /** {@code xds_version} keeps 53 bits of the hash: a Prometheus sample is a double. */
  private static final long VERSION_HASH_MASK = (1L << 53) - 1;

  private final AtomicInteger connected = new AtomicInteger();
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> endpoints =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<XdsResourceType, Counter> attempt = new EnumMap<>(XdsResourceType.class);
  private final Map<XdsResourceType, Counter> success = new EnumMap<>(XdsResourceType.class);
  private final Map<XdsResourceType, Counter> rejected = new EnumMap<>(XdsResourceType.class);
  private final Map<XdsResourceType, AtomicLong> version = new EnumMap<>(XdsResourceType.class);

  XdsClientStats(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("control_plane_connected_state", connected, AtomicInteger::get)
        .description("1 while the discovery stream to the control plane is up, else 0")
        .register(registry);
    for (XdsResourceType type : XdsResourceType.values()) {
      attempt.put(type, counter(registry, type, "xds_update_attempt", "Responses received"));
      success.put(type, counter(registry, type, "xds_update_success", "Responses accepted"));
      rejected.put(
          type, counter(registry, type, "xds_update_rejected", "Responses refused (NACKed)"));
      AtomicLong v = new AtomicLong();
      version.put(type, v);
      Gauge.builder("xds_version", v, AtomicLong::get)
          .description("Hash of the last accepted version_info; 0 before the first")
          .tag("type", type.shortName())
          .register(registry);
    }
  }

  /**
   * The discovery stream is answered by {@code address}: {@code control_plane_endpoint{address}} is
   * 1 for it and 0 for the endpoints that answered before.
   */
  void endpoint(String address) {
    endpoints.values().forEach(v -> v.set(0));
    endpoints
        .computeIfAbsent(
            address,
            a -> {
              AtomicInteger v = new AtomicInteger();
              Gauge.builder("control_plane_endpoint", v, AtomicInteger::get)
                  .description("1 for the control plane endpoint that answers the discovery stream")
                  .tag("address", a)
                  .register(registry);
              return v;
            })
        .set(1);
  }

  void connected(boolean up) {
    connected.set(up ? 1 : 0);
  }

  void attempt(XdsResourceType type) {
    attempt.get(type).increment();
  }

  void success(XdsResourceType type, String newVersion) {
    success.get(type).increment();
    version.get(type).set(versionHash(newVersion));
  }

  void rejected(XdsResourceType type) {
    rejected.get(type).increment();
  }

  /**
   * A stable number for a version string (the first 53 bits of its SHA-256), as Envoy's {@code
   * version} statistic is a hash of {@code version_info}; 0 for the empty version.
   */
  static long versionHash(String version) {
    if (version.isEmpty()) {
      return 0;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(version.getBytes(StandardCharsets.UTF_8));
      long hash = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        hash = (hash << 8) | (digest[i] & 0xff);
      }
      return hash & VERSION_HASH_MASK;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static Counter counter(
      MeterRegistry registry, XdsResourceType type, String name, String description) {
    return Counter.builder(name)
        .description(description)
        .tag("type", type.shortName())
        .register(registry);
  }
}
