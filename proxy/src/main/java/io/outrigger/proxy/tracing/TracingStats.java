package io.outrigger.proxy.tracing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The export counters of one tracer provider, labelled by its {@code service_name} (bounded: one
 * value per distinct provider config).
 */
record TracingStats(Counter exported, Counter failed, Counter dropped) {
  static TracingStats create(MeterRegistry registry, String serviceName) {
    return new TracingStats(
        counter(registry, "tracing_spans_exported", "Spans the collector accepted", serviceName),
        counter(
            registry,
            "tracing_spans_failed",
            "Spans whose export failed (collector down, refused, timed out)",
            serviceName),
        counter(
            registry,
            "tracing_spans_dropped",
            "Sampled spans dropped because the export queue was full",
            serviceName));
  }

  private static Counter counter(
      MeterRegistry registry, String name, String description, String serviceName) {
    return Counter.builder(name)
        .description(description)
        .tag("service_name", serviceName)
        .register(registry);
  }
}
