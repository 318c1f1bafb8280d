package io.outrigger.proxy.tracing;

import static io.outrigger.proxy.tracing.SpanAttributes.ATTEMPT_OUTCOME;
import static io.outrigger.proxy.tracing.SpanAttributes.HTTP_RESPONSE_STATUS_CODE;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Set;

/** The client span of one upstream attempt. */
final class OtelAttemptSpan implements AttemptSpan {
  private static final Set<String> FAILURES =
      Set.of("connect_failure", "reset", "per_try_timeout", "overflow");

  private final Span span;
  private boolean ended;

  OtelAttemptSpan(Span span) {
    this.span = span;
  }

  @Override
  public void end(int status, String outcome) {
    if (ended) {
      return;
    }
    ended = true;
    if (span.isRecording()) {
      if (status > 0) {
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
      }
      span.setAttribute(ATTEMPT_OUTCOME, outcome);
      if (status >= 500 || FAILURES.contains(outcome)) {
        span.setStatus(StatusCode.ERROR, outcome);
      }
    }
    span.end();
  }
}
