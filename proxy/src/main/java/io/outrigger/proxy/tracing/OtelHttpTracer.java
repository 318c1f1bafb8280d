package io.outrigger.proxy.tracing;

import static io.outrigger.proxy.tracing.SpanAttributes.HTTP_REQUEST_METHOD;
import static io.outrigger.proxy.tracing.SpanAttributes.NETWORK_PEER_ADDRESS;
import static io.outrigger.proxy.tracing.SpanAttributes.NETWORK_PROTOCOL_VERSION;
import static io.outrigger.proxy.tracing.SpanAttributes.REQUEST_ID;
import static io.outrigger.proxy.tracing.SpanAttributes.SERVER_ADDRESS;
import static io.outrigger.proxy.tracing.SpanAttributes.SERVER_PORT;
import static io.outrigger.proxy.tracing.SpanAttributes.URL_PATH;
import static io.outrigger.proxy.tracing.SpanAttributes.URL_SCHEME;
import static io.outrigger.proxy.tracing.SpanAttributes.USER_AGENT_ORIGINAL;
import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.outrigger.api.model.tracing.CustomTag;
import io.outrigger.api.model.tracing.TracingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The {@link HttpTracer} of a connection manager with a {@code tracing} block: server spans named
 * after the request method (the OpenTelemetry HTTP conventions' name when no route template is
 * known), with the request's attributes and the custom tags. Immutable, shared by every event loop.
 */
final class OtelHttpTracer implements HttpTracer {
  private final Tracer tracer;
  private final SamplingPolicy sampling;
  private final int maxPathLength;
  private final List<String[]> fixedTags = new ArrayList<>();
  private final List<CustomTag.RequestHeader> headerTags = new ArrayList<>();

  /**
   * @param tracer the provider's tracer
   * @param uniform draws in [0, 100) for sampling
   * @param env environment lookup for {@code environment} tags, read here once
   */
  OtelHttpTracer(
      Tracer tracer, TracingConfig config, DoubleSupplier uniform, Function<String, String> env) {
    this.tracer = requireNonNull(tracer, "tracer");
    this.sampling = SamplingPolicy.of(config, uniform);
    this.maxPathLength = config.maxPathTagLength();
    for (CustomTag tag : config.customTags()) {
      if (tag instanceof CustomTag.Literal l) {
        fixedTags.add(new String[] {l.tag(), l.value()});
      } else if (tag instanceof CustomTag.Environment e) {
        String v = env.apply(e.name());
        v = v == null || v.isEmpty() ? e.defaultValue() : v;
        if (!v.isEmpty()) {
          fixedTags.add(new String[] {e.tag(), v});
        }
      } else if (tag instanceof CustomTag.RequestHeader h) {
        headerTags.add(h);
      }
    }
  }

  @Override
  public StreamSpan startStream(HttpRequest request, String peerAddress, String protocolVersion) {
    HttpHeaders headers = request.headers();
    Context parent = TraceHeaders.extract(Context.root(), headers);
    if (parent == Context.root()) {
      parent = parent.with(DecidedSampler.DECISION, sampling.sample(headers));
    }
    String method = request.method().name();
    SpanBuilder b =
        tracer
            .spanBuilder(method)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HTTP_REQUEST_METHOD, method)
            .setAttribute(URL_PATH, path(request.uri(), maxPathLength))
            .setAttribute(URL_SCHEME, "http")
            .setAttribute(NETWORK_PROTOCOL_VERSION, protocolVersion);
    if (!peerAddress.isEmpty()) {
      b.setAttribute(NETWORK_PEER_ADDRESS, peerAddress);
    }
    authority(b, headers.get(HttpHeaderNames.HOST));
    setIfPresent(b, USER_AGENT_ORIGINAL.getKey(), headers.get(HttpHeaderNames.USER_AGENT));
    setIfPresent(b, REQUEST_ID.getKey(), headers.get("x-request-id"));
    for (String[] t : fixedTags) {
      b.setAttribute(t[0], t[1]);
    }
    for (CustomTag.RequestHeader h : headerTags) {
      String v = headers.get(h.name());
      setIfPresent(b, h.tag(), v != null ? v : h.defaultValue());
    }
    Span span = b.startSpan();
    return new OtelStreamSpan(tracer, span, maxPathLength);
  }

  private static void setIfPresent(SpanBuilder b, String key, String value) {
    if (value != null && !value.isEmpty()) {
      b.setAttribute(key, value);
    }
  }

  /** {@code server.address} and {@code server.port} from the {@code host} header. */
  private static void authority(SpanBuilder b, String host) {
    if (host == null || host.isEmpty()) {
      return;
    }
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']', colon) < 0) {
      b.setAttribute(SERVER_ADDRESS, host.substring(0, colon));
      try {
        b.setAttribute(SERVER_PORT, Long.parseLong(host.substring(colon + 1)));
      } catch (NumberFormatException e) {
        // a malformed port is no attribute, not a failure
      }
    } else {
      b.setAttribute(SERVER_ADDRESS, host);
    }
  }

  /** The path of a request target without its query, cut to {@code max} characters. */
  static String path(String uri, int max) {
    int query = uri.indexOf('?');
    String p = query < 0 ? uri : uri.substring(0, query);
    return p.length() > max ? p.substring(0, max) : p;
  }
}
