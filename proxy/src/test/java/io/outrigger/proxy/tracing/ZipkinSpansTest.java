package io.outrigger.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Span;

class ZipkinSpansTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private static TestSpanData.Builder span(SpanKind kind) {
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                TRACE, "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()))
        .setParentSpanContext(
            SpanContext.create(
                TRACE, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()))
        .setName("get")
        .setKind(kind)
        .setStartEpochNanos(1_000_000_000L)
        .setEndEpochNanos(1_002_500_000L)
        .setHasEnded(true)
        .setResource(
            Resource.create(
                Attributes.of(
                    io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "n1")))
        .setStatus(StatusData.unset())
        .setTotalRecordedEvents(0)
        .setTotalRecordedLinks(0)
        .setTotalAttributeCount(0);
  }

  @Test
  void mapsIdsKindTimesServiceAndAttributes() {
    Span s =
        ZipkinSpans.of(
            span(SpanKind.CLIENT)
                .setAttributes(
                    Attributes.of(
                        SpanAttributes.NETWORK_PEER_ADDRESS, "10.88.0.7",
                        SpanAttributes.NETWORK_PEER_PORT, 10000L,
                        SpanAttributes.CLUSTER, "peer_n2"))
                .build());

    assertThat(s.traceId()).isEqualTo(TRACE);
    assertThat(s.id()).isEqualTo("b7ad6b7169203331");
    assertThat(s.parentId()).isEqualTo("00f067aa0ba902b7");
    assertThat(s.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(s.timestampAsLong()).isEqualTo(1_000_000L);
    assertThat(s.durationAsLong()).isEqualTo(2_500L);
    assertThat(s.localServiceName()).isEqualTo("n1");
    assertThat(s.remoteEndpoint().ipv4()).isEqualTo("10.88.0.7");
    assertThat(s.remoteEndpoint().portAsInt()).isEqualTo(10000);
    assertThat(s.tags())
        .containsEntry("outrigger.cluster", "peer_n2")
        .containsEntry("network.peer.port", "10000")
        .doesNotContainKey("error");
  }

  @Test
  void anErrorStatusBecomesTheErrorTagAndEventsBecomeAnnotations() {
    Span s =
        ZipkinSpans.of(
            span(SpanKind.SERVER)
                .setStatus(StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, "503"))
                .setEvents(List.of(EventData.create(1_001_000_000L, "retry", Attributes.empty())))
                .setTotalRecordedEvents(1)
                .build());

    assertThat(s.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(s.tags()).containsEntry("otel.status_code", "ERROR").containsEntry("error", "503");
    assertThat(s.annotations()).hasSize(1);
    assertThat(s.annotations().get(0).value()).isEqualTo("retry");
    assertThat(s.annotations().get(0).timestamp()).isEqualTo(1_001_000L);
    assertThat(s.remoteEndpoint()).isNull();
  }

  @Test
  void aRootSpanHasNoParentAndAShortTraceIdStaysShort() {
    String shortTrace = ShortTraceIds.INSTANCE.generateTraceId();
    Span s =
        ZipkinSpans.of(
            span(SpanKind.INTERNAL)
                .setSpanContext(
                    SpanContext.create(
                        shortTrace,
                        "b7ad6b7169203331",
                        TraceFlags.getSampled(),
                        TraceState.getDefault()))
                .setParentSpanContext(SpanContext.getInvalid())
                .build());

    assertThat(shortTrace).hasSize(32).startsWith("0000000000000000");
    assertThat(s.traceId()).hasSize(16).isEqualTo(shortTrace.substring(16));
    assertThat(s.parentId()).isNull();
    assertThat(s.kind()).isNull();
  }
}
