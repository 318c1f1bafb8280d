package io.outrigger.proxy.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * New traces with 64-bit trace ids (the upper half zero), as Envoy's Zipkin tracer makes them
 * unless {@code trace_id_128bit} is set; Zipkin shows them as 16 hex digits. Span ids and the
 * randomness are the SDK's.
 */
enum ShortTraceIds implements IdGenerator {
  INSTANCE;

  private static final String UPPER_HALF = "0000000000000000";

  @Override
  public String generateSpanId() {
    return IdGenerator.random().generateSpanId();
  }

  @Override
  public String generateTraceId() {
    return UPPER_HALF + IdGenerator.random().generateSpanId();
  }
}
