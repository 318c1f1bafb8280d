package io.outrigger.proxy.tracing;

import static io.outrigger.proxy.tracing.SpanAttributes.ATTEMPT;
import static io.outrigger.proxy.tracing.SpanAttributes.CLUSTER;
import static io.outrigger.proxy.tracing.SpanAttributes.HTTP_REQUEST_METHOD;
import static io.outrigger.proxy.tracing.SpanAttributes.HTTP_RESPONSE_STATUS_CODE;
import static io.outrigger.proxy.tracing.SpanAttributes.NETWORK_PEER_ADDRESS;
import static io.outrigger.proxy.tracing.SpanAttributes.NETWORK_PEER_PORT;
import static io.outrigger.proxy.tracing.SpanAttributes.RESPONSE_CODE_DETAILS;
import static io.outrigger.proxy.tracing.SpanAttributes.RESPONSE_FLAGS;
import static io.outrigger.proxy.tracing.SpanAttributes.SERVER_ADDRESS;
import static io.outrigger.proxy.tracing.SpanAttributes.SERVER_PORT;
import static io.outrigger.proxy.tracing.SpanAttributes.UPSTREAM_HOST;
import static io.outrigger.proxy.tracing.SpanAttributes.URL_PATH;
import static io.outrigger.proxy.tracing.SpanAttributes.URL_SCHEME;

import io.netty.handler.codec.http.HttpRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import java.net.InetSocketAddress;

/** The server span of one stream, and the factory of its attempts' client spans. */
final class OtelStreamSpan implements StreamSpan {
  private final Tracer tracer;
  private final Span span;
  private final int maxPathLength;
  private boolean ended;

  OtelStreamSpan(Tracer tracer, Span span, int maxPathLength) {
    this.tracer = tracer;
    this.span = span;
    this.maxPathLength = maxPathLength;
  }

  @Override
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  @Override
  public AttemptSpan startAttempt(
      HttpRequest upstreamRequest, int number, String cluster, InetSocketAddress address) {
    String host =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    int port = address.getPort();
    String method = upstreamRequest.method().name();
    Span client =
        tracer
            .spanBuilder(method + " " + cluster)
            .setParent(Context.root().with(span))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(HTTP_REQUEST_METHOD, method)
            .setAttribute(URL_PATH, OtelHttpTracer.path(upstreamRequest.uri(), maxPathLength))
            .setAttribute(URL_SCHEME, "http")
            .setAttribute(SERVER_ADDRESS, host)
            .setAttribute(SERVER_PORT, (long) port)
            .setAttribute(NETWORK_PEER_ADDRESS, host)
            .setAttribute(NETWORK_PEER_PORT, (long) port)
            .setAttribute(ATTEMPT, (long) number)
            .setAttribute(CLUSTER, cluster)
            .setAttribute(UPSTREAM_HOST, host + ":" + port)
            .startSpan();
    TraceHeaders.inject(Context.root().with(client), upstreamRequest.headers());
    return new OtelAttemptSpan(client);
  }

  @Override
  public void end(StreamInfo info) {
    if (ended) {
      return;
    }
    ended = true;
    int code = info.responseCode();
    if (span.isRecording()) {
      if (code > 0) {
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) code);
      }
      ResponseFlag flag = info.responseFlag();
      span.setAttribute(RESPONSE_FLAGS, flag == null ? "-" : flag.code());
      String details = info.responseCodeDetails();
      if (details != null && !details.isEmpty()) {
        span.setAttribute(RESPONSE_CODE_DETAILS, details);
      }
      if (info.upstreamCluster() != null) {
        span.setAttribute(CLUSTER, info.upstreamCluster());
      }
      if (info.upstreamHost() != null) {
        span.setAttribute(UPSTREAM_HOST, info.upstreamHost());
      }
      if (code >= 500 || code == 0 || isReset(flag)) {
        span.setStatus(StatusCode.ERROR, details == null ? "" : details);
      }
    }
    span.end();
  }

  private static boolean isReset(ResponseFlag flag) {
    return flag == ResponseFlag.UR || flag == ResponseFlag.DC;
  }
}
