package io.outrigger.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN = "b7ad6b7169203331";

  private static SpanContext extract(HttpHeaders h) {
    return Span.fromContext(TraceHeaders.extract(Context.root(), h)).getSpanContext();
  }

  @Test
  void readsW3cTraceparentAndTracestate() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("traceparent", "00-" + TRACE + "-" + SPAN + "-01");
    h.set("tracestate", "vendor=x");
    SpanContext c = extract(h);
    assertThat(c.getTraceId()).isEqualTo(TRACE);
    assertThat(c.getSpanId()).isEqualTo(SPAN);
    assertThat(c.isSampled()).isTrue();
    assertThat(c.isRemote()).isTrue();
    assertThat(c.getTraceState().get("vendor")).isEqualTo("x");
  }

  @Test
  void readsB3SingleHeader() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("b3", TRACE + "-" + SPAN + "-0");
    SpanContext c = extract(h);
    assertThat(c.getTraceId()).isEqualTo(TRACE);
    assertThat(c.getSpanId()).isEqualTo(SPAN);
    assertThat(c.isSampled()).isFalse();
  }

  @Test
  void readsB3MultiHeadersWithA64BitTraceId() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("x-b3-traceid", "8448eb211c80319c");
    h.set("x-b3-spanid", SPAN);
    h.set("x-b3-sampled", "1");
    SpanContext c = extract(h);
    assertThat(c.getTraceId()).isEqualTo("00000000000000008448eb211c80319c");
    assertThat(c.getSpanId()).isEqualTo(SPAN);
    assertThat(c.isSampled()).isTrue();
  }

  @Test
  void w3cWinsOverB3AndInvalidHeadersAreNoContext() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("b3", "11111111111111111111111111111111-2222222222222222-1");
    h.set("traceparent", "00-" + TRACE + "-" + SPAN + "-01");
    assertThat(extract(h).getTraceId()).isEqualTo(TRACE);

    HttpHeaders bad = new DefaultHttpHeaders();
    bad.set("traceparent", "00-zz-" + SPAN + "-01");
    assertThat(TraceHeaders.extract(Context.root(), bad)).isSameAs(Context.root());
  }

  @Test
  void injectReplacesEveryIncomingTraceHeaderWithTraceparent() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
    h.set("tracestate", "old=1");
    h.set("b3", "1-2-1");
    h.set("x-b3-traceid", "1");
    h.set("x-b3-spanid", "2");
    h.set("x-b3-sampled", "1");
    h.set("x-b3-parentspanid", "3");
    h.set("x-b3-flags", "1");
    SpanContext child =
        SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault());
    TraceHeaders.inject(Context.root().with(Span.wrap(child)), h);
    assertThat(h.get("traceparent")).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
    assertThat(h.names()).containsExactly("traceparent");
  }
}
