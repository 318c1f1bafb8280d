package io.outrigger.proxy.tracing;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The exporter of the {@code envoy.tracers.zipkin} provider: each batch of the provider's {@code
 * BatchSpanProcessor} becomes Zipkin v2 JSON messages (zipkin2's encoder) sent with
 * zipkin-reporter's HTTP sender, on the processor's own thread, never on an event loop. No retries,
 * as for OTLP: a failed batch is counted by the caller and let go.
 */
final class ZipkinSpanExporter implements SpanExporter {
  private static final Logger log = LoggerFactory.getLogger(ZipkinSpanExporter.class);

  private final BytesMessageSender sender;

  ZipkinSpanExporter(BytesMessageSender sender) {
    this.sender = requireNonNull(sender, "sender");
  }

  /**
   * An exporter that {@code POST}s to {@code http://<first endpoint of the cluster><path>}.
   *
   * @throws IllegalArgumentException when the collector cluster has no endpoint
   */
  static ZipkinSpanExporter create(
      io.outrigger.api.model.tracing.OtlpExport.Zipkin zipkin,
      Function<String, Optional<String>> clusterEndpoint) {
    String endpoint =
        clusterEndpoint
            .apply(zipkin.cluster())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "collector_cluster: cluster \"" + zipkin.cluster() + "\" has no endpoint"));
    int timeoutMillis = (int) zipkin.timeout().toMillis();
    return new ZipkinSpanExporter(
        URLConnectionSender.newBuilder()
            .endpoint("http://" + endpoint + zipkin.path())
            .encoding(Encoding.JSON)
            .compressionEnabled(false)
            .connectTimeout(timeoutMillis)
            .readTimeout(timeoutMillis)
            .build());
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<byte[]> message = new ArrayList<>();
    for (SpanData span : spans) {
      byte[] encoded = SpanBytesEncoder.JSON_V2.encode(ZipkinSpans.of(span));
      message.add(encoded);
      if (sender.messageSizeInBytes(message) > sender.messageMaxBytes() && message.size() > 1) {
        message.remove(message.size() - 1);
        if (!send(message)) {
          return CompletableResultCode.ofFailure();
        }
        message = new ArrayList<>(List.of(encoded));
      }
    }
    return message.isEmpty() || send(message)
        ? CompletableResultCode.ofSuccess()
        : CompletableResultCode.ofFailure();
  }

  private boolean send(List<byte[]> message) {
    try {
      sender.send(message);
      return true;
    } catch (IOException | RuntimeException e) {
      log.debug("zipkin: {} span(s) not exported: {}", message.size(), e.toString());
      return false;
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    try {
      sender.close();
    } catch (IOException e) {
      log.debug("zipkin: closing the sender: {}", e.toString());
    }
    return CompletableResultCode.ofSuccess();
  }
}
