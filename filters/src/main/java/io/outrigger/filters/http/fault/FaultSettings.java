package io.outrigger.filters.http.fault;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.api.model.http.FaultAbort;
import io.outrigger.api.model.http.FaultDelay;
import io.outrigger.api.model.http.FaultFilterConfig;
import io.outrigger.api.model.http.FractionalPercent;
import io.outrigger.filters.http.headers.CompiledHeaderMatcher;
import io.outrigger.filters.http.headers.RequestHeaderValues;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One {@link FaultFilterConfig} compiled for the data path (Envoy's {@code FaultSettings}): the
 * filter-level settings, or a route's, which replace them whole. Immutable; shared by every event
 * loop.
 */
final class FaultSettings {
  /** What an abort answers: an HTTP status, and a gRPC status for gRPC requests if set. */
  record AbortStatus(int httpStatus, OptionalInt grpcStatus) {}

  private final FaultDelay delay;
  private final FaultAbort abort;
  private final String upstreamCluster;
  private final Set<String> downstreamNodes;
  private final CompiledHeaderMatcher[] headers;
  private final long maxActiveFaults;

  FaultSettings(FaultFilterConfig config) {
    this.delay = config.delay().orElse(null);
    this.abort = config.abort().orElse(null);
    this.upstreamCluster = config.upstreamCluster();
    this.downstreamNodes = Set.copyOf(config.downstreamNodes());
    this.headers =
        config.headers().stream()
            .map(CompiledHeaderMatcher::new)
            .toArray(CompiledHeaderMatcher[]::new);
    this.maxActiveFaults = config.maxActiveFaults().orElse(Long.MAX_VALUE);
  }

  /** {@code upstream_cluster}, or empty for any. */
  String upstreamCluster() {
    return upstreamCluster;
  }

  long maxActiveFaults() {
    return maxActiveFaults;
  }

  /** {@code downstream_nodes}: the request's {@code x-envoy-downstream-service-node} is listed. */
  boolean matchesDownstreamNodes(HttpRequest request) {
    if (downstreamNodes.isEmpty()) {
      return true;
    }
    String node = request.headers().get(FaultHeaders.DOWNSTREAM_SERVICE_NODE);
    return node != null && downstreamNodes.contains(node);
  }

  /** {@code headers}: every matcher matches. */
  boolean matchesHeaders(HttpRequest request) {
    for (CompiledHeaderMatcher h : headers) {
      if (!h.matches(RequestHeaderValues.get(request, h.name()))) {
        return false;
      }
    }
    return true;
  }

  boolean hasDelay() {
    return delay != null;
  }

  boolean hasAbort() {
    return abort != null;
  }

  /** The delay's percentage, lowered by the percentage header for {@code header_delay}. */
  FractionalPercent delayPercentage(HttpRequest request) {
    return delay.headerControlled()
        ? lowered(delay.percentage(), request, FaultHeaders.DELAY_REQUEST_PERCENTAGE)
        : delay.percentage();
  }

  /**
   * The delay in milliseconds: the fixed one, or the request's {@code x-envoy-fault-delay-request};
   * empty when the header is absent or not a number. Zero means no delay, as in Envoy.
   */
  OptionalLong delayMillis(HttpRequest request) {
    if (delay.fixedDelay().isPresent()) {
      return OptionalLong.of(delay.fixedDelay().get().toMillis());
    }
    long ms = FaultHeaders.parse(request.headers().get(FaultHeaders.DELAY_REQUEST), Long.MAX_VALUE);
    return ms < 0 ? OptionalLong.empty() : OptionalLong.of(ms);
  }

  /** The abort's percentage, lowered by the percentage header for {@code header_abort}. */
  FractionalPercent abortPercentage(HttpRequest request) {
    return abort.kind() == FaultAbort.Kind.HEADER
        ? lowered(abort.percentage(), request, FaultHeaders.ABORT_REQUEST_PERCENTAGE)
        : abort.percentage();
  }

  /**
   * Envoy's {@code abortStatus}: an HTTP status if one is configured or asked for by header
   * (200..599 only), else a gRPC status with HTTP 200; null when {@code header_abort} finds neither
   * header.
   */
  AbortStatus abortStatus(HttpRequest request) {
    switch (abort.kind()) {
      case HTTP:
        return new AbortStatus(abort.httpStatus(), OptionalInt.empty());
      case GRPC:
        return new AbortStatus(200, OptionalInt.of(abort.grpcStatus()));
      default:
        long http = FaultHeaders.parse(request.headers().get(FaultHeaders.ABORT_REQUEST), 999);
        if (http >= 200 && http < 600) {
          return new AbortStatus((int) http, OptionalInt.empty());
        }
        long grpc =
            FaultHeaders.parse(
                request.headers().get(FaultHeaders.ABORT_GRPC_REQUEST), Integer.MAX_VALUE);
        return grpc < 0 ? null : new AbortStatus(200, OptionalInt.of((int) grpc));
    }
  }

  /** Envoy's {@code HeaderPercentageProvider}: the header may only lower the numerator. */
  private static FractionalPercent lowered(
      FractionalPercent configured, HttpRequest request, String header) {
    long n = FaultHeaders.parse(request.headers().get(header), 0xFFFF_FFFFL);
    return n < 0 ? configured : configured.withNumeratorAtMost(n);
  }
}
