package io.outrigger.proxy.server;

import static java.util.Objects.requireNonNull;

import io.outrigger.proxy.listener.filter.OriginalDestinationReader;
import io.outrigger.proxy.stats.StatsFormat;
import io.outrigger.proxy.tracing.SpanExporterFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run the sidecar, from the command line rather than the bootstrap.
 *
 * @param concurrency event loops for the data path; default the number of cores
 * @param drainTime how long open connections may go on after SIGTERM before they are closed;
 *     default 5 s
 * @param spanExporters makes the exporter of each tracer provider; default {@link
 *     SpanExporterFactory#OTLP} (tests pass an in-memory exporter)
 * @param csrSecret the SDS secret this sidecar makes itself: its own key, and a certificate the
 *     control plane signs over the discovery channel ({@code CertificateClient}); the secret is
 *     then never asked for over SDS; default none
 * @param statsFormat what {@code /stats/prometheus} writes; default {@link StatsFormat#ENVOY}
 * @param originalDestinations where {@code original_dst} listener filters read a redirected
 *     connection's original destination; default {@link OriginalDestinationReader#SOCKET} ({@code
 *     SO_ORIGINAL_DST}); tests without iptables pass a stand-in
 */
public record SidecarOptions(
    int concurrency,
    Duration drainTime,
    SpanExporterFactory spanExporters,
    Optional<String> csrSecret,
    StatsFormat statsFormat,
    OriginalDestinationReader originalDestinations) {
  public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(5);

  public SidecarOptions {
    requireNonNull(drainTime, "drainTime");
    requireNonNull(spanExporters, "spanExporters");
    requireNonNull(csrSecret, "csrSecret");
    requireNonNull(statsFormat, "statsFormat");
    requireNonNull(originalDestinations, "originalDestinations");
    if (csrSecret.isPresent() && csrSecret.get().isEmpty()) {
      throw new IllegalArgumentException(
          "csrSecret: empty (expected: a secret name, e.g. default)");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    if (drainTime.isNegative()) {
      throw new IllegalArgumentException("drainTime: " + drainTime + " (expected: >= 0)");
    }
  }

  /** With OTLP export. */
  public SidecarOptions(int concurrency, Duration drainTime) {
    this(
        concurrency,
        drainTime,
        SpanExporterFactory.OTLP,
        Optional.empty(),
        StatsFormat.ENVOY,
        OriginalDestinationReader.SOCKET);
  }

  /** The same options with another span exporter factory. */
  public SidecarOptions withSpanExporters(SpanExporterFactory exporters) {
    return new SidecarOptions(
        concurrency, drainTime, exporters, csrSecret, statsFormat, originalDestinations);
  }

  /** The same options, making the secret {@code name} locally by CSR. */
  public SidecarOptions withCsrSecret(String name) {
    return new SidecarOptions(
        concurrency,
        drainTime,
        spanExporters,
        Optional.of(name),
        statsFormat,
        originalDestinations);
  }

  /** The same options, {@code /stats/prometheus} writing {@code format}. */
  public SidecarOptions withStatsFormat(StatsFormat format) {
    return new SidecarOptions(
        concurrency, drainTime, spanExporters, csrSecret, format, originalDestinations);
  }

  /** The same options, reading original destinations with {@code reader}. */
  public SidecarOptions withOriginalDestinations(OriginalDestinationReader reader) {
    return new SidecarOptions(
        concurrency, drainTime, spanExporters, csrSecret, statsFormat, reader);
  }

  public static SidecarOptions defaults() {
    return new SidecarOptions(Runtime.getRuntime().availableProcessors(), DEFAULT_DRAIN_TIME);
  }
}
