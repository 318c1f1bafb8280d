package io.outrigger.proxy.tracing;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import java.util.List;

/**
 * Reading and writing trace context in HTTP headers: W3C {@code traceparent}/{@code tracestate} are
 * read and written; B3 (single {@code b3} header and {@code x-b3-*} headers) is read only. A
 * request carrying both keeps the W3C context. Stateless; safe from any thread.
 */
public final class TraceHeaders {
  /** Every header that carries trace context; removed before the upstream's are written. */
  static final List<String> ALL =
      List.of(
          "traceparent",
          "tracestate",
          "b3",
          "x-b3-traceid",
          "x-b3-spanid",
          "x-b3-parentspanid",
          "x-b3-sampled",
          "x-b3-flags");

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  // The single-header injector's extractor reads both B3 forms.
  private static final TextMapPropagator B3 = B3Propagator.injectingSingleHeader();

  private static final TextMapGetter<HttpHeaders> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
          return carrier.names();
        }

        @Override
        public String get(HttpHeaders carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private static final TextMapSetter<HttpHeaders> SETTER = (h, k, v) -> h.set(k, v);

  private TraceHeaders() {}

  /**
   * The incoming trace context of {@code headers}, on top of {@code base}: the W3C context when
   * {@code traceparent} is valid, else the B3 context, else {@code base} unchanged.
   */
  public static Context extract(Context base, HttpHeaders headers) {
    Context w3c = W3C.extract(base, headers, GETTER);
    if (w3c != base) {
      return w3c;
    }
    return B3.extract(base, headers, GETTER);
  }

  /** Replaces the trace headers of {@code headers} with {@code context}'s W3C headers. */
  public static void inject(Context context, HttpHeaders headers) {
    for (String h : ALL) {
      headers.remove(h);
    }
    W3C.inject(context, headers, SETTER);
  }
}
