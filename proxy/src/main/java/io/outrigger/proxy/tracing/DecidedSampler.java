package io.outrigger.proxy.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * The SDK sampler of every tracer provider: parent-based, and for a root span the decision the
 * connection manager's {@link SamplingPolicy} already made and put in the context under {@link
 * #DECISION}. Sampling thus stays per connection manager while the tracer provider is shared.
 */
final class DecidedSampler implements Sampler {
  /** The root decision; absent means sampled. */
  static final ContextKey<Boolean> DECISION = ContextKey.named("outrigger-sampling-decision");

  static final DecidedSampler INSTANCE = new DecidedSampler();

  private DecidedSampler() {}

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    SpanContext parent = Span.fromContext(parentContext).getSpanContext();
    boolean sampled;
    if (parent.isValid()) {
      sampled = parent.isSampled();
    } else {
      Boolean decision = parentContext.get(DECISION);
      sampled = decision == null || decision;
    }
    return sampled ? SamplingResult.recordAndSample() : SamplingResult.drop();
  }

  @Override
  public String getDescription() {
    return "OutriggerDecidedSampler";
  }
}
