package io.outrigger.api.model.overload;

/**
 * {@code envoy.resource_monitors.fixed_heap}: the memory pressure, from 0 to 1, against a fixed
 * budget. On the JVM the sidecar's memory is two pools, so Outrigger's monitor reports the larger
 * of two ratios: the Java heap in use over {@code max_heap_size_bytes}, and Netty's direct memory
 * in use (where request and response bodies live) over the JVM's direct memory limit.
 *
 * @param maxHeapSizeBytes {@code max_heap_size_bytes}, required, more than 0
 */
public record FixedHeapMonitorConfig(long maxHeapSizeBytes) {
  public static final String NAME = "envoy.resource_monitors.fixed_heap";

  public FixedHeapMonitorConfig {
    if (maxHeapSizeBytes < 1) {
      throw new IllegalArgumentException(
          "max_heap_size_bytes: " + maxHeapSizeBytes + " (expected: more than 0)");
    }
  }
}
