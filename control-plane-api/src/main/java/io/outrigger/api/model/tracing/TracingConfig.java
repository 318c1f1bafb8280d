package io.outrigger.api.model.tracing;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code HttpConnectionManager.Tracing}: whether and how the connection manager traces requests.
 *
 * <p>Sampling follows Envoy: a request whose incoming trace context ({@code traceparent} or B3)
 * says sampled or not keeps that decision; otherwise a request with {@code x-client-trace-id} is
 * sampled at {@code clientSampling}, any other at {@code randomSampling}, and {@code
 * overallSampling} then caps both.
 *
 * @param provider where spans go (the {@code envoy.tracers.opentelemetry} provider)
 * @param randomSampling percent 0..100 of requests without a decision that are sampled; default 100
 * @param clientSampling percent 0..100 of requests with {@code x-client-trace-id} that are sampled;
 *     default 100
 * @param overallSampling percent 0..100 applied after the two above; default 100
 * @param customTags span attributes added to every server span; tag names unique
 * @param spawnUpstreamSpan accepted as Envoy's field; Outrigger always makes a client span per
 *     upstream attempt
 * @param maxPathTagLength {@code url.path} is cut to this many characters; default 256, at least 1
 */
public record TracingConfig(
    OpenTelemetryProviderConfig provider,
    double randomSampling,
    double clientSampling,
    double overallSampling,
    List<CustomTag> customTags,
    boolean spawnUpstreamSpan,
    int maxPathTagLength) {

  public static final double DEFAULT_SAMPLING = 100.0;
  public static final int DEFAULT_MAX_PATH_TAG_LENGTH = 256;

  public TracingConfig {
    requireNonNull(provider, "provider");
    customTags = List.copyOf(requireNonNull(customTags, "customTags"));
    checkPercent("random_sampling", randomSampling);
    checkPercent("client_sampling", clientSampling);
    checkPercent("overall_sampling", overallSampling);
    if (maxPathTagLength < 1) {
      throw new IllegalArgumentException(
          "max_path_tag_length: " + maxPathTagLength + " (expected: >= 1)");
    }
    Set<String> tags = new HashSet<>();
    for (CustomTag t : customTags) {
      if (!tags.add(t.tag())) {
        throw new IllegalArgumentException("custom_tags: duplicate tag \"" + t.tag() + "\"");
      }
    }
  }

  /** Samples everything, no custom tags: the defaults around {@code provider}. */
  public static TracingConfig of(OpenTelemetryProviderConfig provider) {
    return new TracingConfig(
        provider,
        DEFAULT_SAMPLING,
        DEFAULT_SAMPLING,
        DEFAULT_SAMPLING,
        List.of(),
        true,
        DEFAULT_MAX_PATH_TAG_LENGTH);
  }

  private static void checkPercent(String field, double value) {
    if (!(value >= 0 && value <= 100)) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: 0..100)");
    }
  }
}
