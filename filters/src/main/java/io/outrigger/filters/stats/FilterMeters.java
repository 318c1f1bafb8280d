package io.outrigger.filters.stats;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The filters' view of the sidecar's meter registry: counters and gauges named after Envoy's
 * statistics, with their scope as a label.
 *
 * <p>One per sidecar, shared by every configuration snapshot. A meter asked for twice (by the next
 * snapshot's factory, say) is the same meter, so counts carry over a config update as Envoy's do;
 * for a gauge that means the same {@link AtomicLong}, which Micrometer alone would not give back.
 */
public final class FilterMeters {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  public FilterMeters(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The counter {@code name{tagKey="tagValue"}}, created on first use. */
  public Counter counter(String name, String description, String tagKey, String tagValue) {
    return Counter.builder(name)
        .description(description)
        .tags(Tags.of(tagKey, tagValue))
        .register(registry);
  }

  /**
   * The counter {@code name} with several labels, created on first use. Labels must come from a
   * bounded set (configuration, an enum), never from requests.
   *
   * @param keyValues label names and values, alternating
   */
  public Counter counter(String name, String description, String... keyValues) {
    return Counter.builder(name)
        .description(description)
        .tags(Tags.of(keyValues))
        .register(registry);
  }

  /** The gauge {@code name{tagKey="tagValue"}}'s value, created on first use and shared after. */
  public AtomicLong gauge(String name, String description, String tagKey, String tagValue) {
    return gauges.computeIfAbsent(
        name + '\0' + tagKey + '\0' + tagValue,
        k -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .description(description)
              .tags(Tags.of(tagKey, tagValue))
              .strongReference(true)
              .register(registry);
          return value;
        });
  }
}
