package io.outrigger.proxy.server;

import static java.util.Objects.requireNonNull;

import io.outrigger.proxy.tracing.SpanExporterFactory;
import java.time.Duration;

/**
 * How to run the sidecar, from the command line rather than the bootstrap.
 *
 * @param concurrency event loops for the data path; default the number of cores
 * @param drainTime how long open connections may go on after SIGTERM before they are closed;
 *     default 5 s
 * @param spanExporters makes the exporter of each tracer provider; default {@link
 *     SpanExporterFactory#OTLP} (tests pass an in-memory exporter)
 */
public record SidecarOptions(
    int concurrency, Duration drainTime, SpanExporterFactory spanExporters) {
  public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(5);

  public SidecarOptions {
    requireNonNull(drainTime, "drainTime");
    requireNonNull(spanExporters, "spanExporters");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    if (drainTime.isNegative()) {
      throw new IllegalArgumentException("drainTime: " + drainTime + " (expected: >= 0)");
    }
  }

  /** With OTLP export. */
  public SidecarOptions(int concurrency, Duration drainTime) {
    this(concurrency, drainTime, SpanExporterFactory.OTLP);
  }

  /** The same options with another span exporter factory. */
  public SidecarOptions withSpanExporters(SpanExporterFactory exporters) {
    return new SidecarOptions(concurrency, drainTime, exporters);
  }

  public static SidecarOptions defaults() {
    return new SidecarOptions(Runtime.getRuntime().availableProcessors(), DEFAULT_DRAIN_TIME);
  }
}
