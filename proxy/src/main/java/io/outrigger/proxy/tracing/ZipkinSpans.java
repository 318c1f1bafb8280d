package io.outrigger.proxy.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import zipkin2.Endpoint;
import zipkin2.Span;

/**
 * An OpenTelemetry span as a Zipkin v2 span, mapped as the OpenTelemetry specification's Zipkin
 * exporter mapping says: ids and times as they are (microseconds), kind, the resource's {@code
 * service.name} as the local endpoint, the peer's address as the remote endpoint, every attribute
 * as a tag (so spans carry the same attributes as over OTLP), {@code otel.status_code} and {@code
 * error} for an error status, events as annotations. Pure.
 */
final class ZipkinSpans {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private ZipkinSpans() {}

  static Span of(SpanData span) {
    Span.Builder b =
        Span.newBuilder()
            .traceId(span.getTraceId())
            .id(span.getSpanId())
            .name(span.getName())
            .timestamp(span.getStartEpochNanos() / 1000)
            .duration(Math.max(1, (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1000))
            .localEndpoint(
                Endpoint.newBuilder()
                    .serviceName(span.getResource().getAttribute(SERVICE_NAME))
                    .build());
    if (span.getParentSpanContext().isValid()) {
      b.parentId(span.getParentSpanId());
    }
    switch (span.getKind()) {
      case SERVER -> b.kind(Span.Kind.SERVER);
      case CLIENT -> b.kind(Span.Kind.CLIENT);
      case PRODUCER -> b.kind(Span.Kind.PRODUCER);
      case CONSUMER -> b.kind(Span.Kind.CONSUMER);
      default -> {}
    }
    Endpoint remote = remote(span);
    if (remote != null) {
      b.remoteEndpoint(remote);
    }
    span.getAttributes().forEach((key, value) -> b.putTag(key.getKey(), String.valueOf(value)));
    if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
      b.putTag("otel.status_code", "ERROR");
      String description = span.getStatus().getDescription();
      b.putTag("error", description == null || description.isEmpty() ? "true" : description);
    }
    for (EventData e : span.getEvents()) {
      b.addAnnotation(e.getEpochNanos() / 1000, e.getName());
    }
    return b.build();
  }

  /** The peer: {@code network.peer.address} and {@code .port}, if the span has them. */
  private static Endpoint remote(SpanData span) {
    String address = span.getAttributes().get(SpanAttributes.NETWORK_PEER_ADDRESS);
    if (address == null) {
      return null;
    }
    Endpoint.Builder e = Endpoint.newBuilder();
    if (!e.parseIp(address)) {
      return null;
    }
    Long port = span.getAttributes().get(SpanAttributes.NETWORK_PEER_PORT);
    if (port != null) {
      e.port(port.intValue());
    }
    return e.build();
  }
}
