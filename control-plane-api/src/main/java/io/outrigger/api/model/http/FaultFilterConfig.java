package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code envoy.extensions.filters.http.fault.v3.HTTPFault}: Envoy's fault injection filter, at the
 * filter level or as a route's or virtual host's {@code typed_per_filter_config} (which then
 * replaces the filter-level settings for that route, whole).
 *
 * <p>A request is considered only when it passes every selector: {@code upstreamCluster}, {@code
 * downstreamNodes}, {@code headers}. Then the delay is drawn, then (after the delay, if any) the
 * abort. Both count as one active fault against {@code maxActiveFaults}.
 *
 * @param name the filter name as configured (for a per-route config: the map key)
 * @param delay the delay fault; empty for none
 * @param abort the abort fault; empty for none
 * @param upstreamCluster only requests whose route forwards to this cluster; empty for any
 * @param downstreamNodes only requests whose {@code x-envoy-downstream-service-node} header is one
 *     of these; empty for any (a request without the header is then not faulted)
 * @param headers only requests matching all of these; empty for any
 * @param maxActiveFaults at most this many faulted requests at once per filter (the count is shared
 *     with its per-route overrides, as Envoy shares its {@code active_faults} gauge); empty for no
 *     limit
 */
public record FaultFilterConfig(
    String name,
    Optional<FaultDelay> delay,
    Optional<FaultAbort> abort,
    String upstreamCluster,
    List<String> downstreamNodes,
    List<HeaderMatcher> headers,
    OptionalLong maxActiveFaults)
    implements HttpFilterConfig {
  public static final String FILTER_NAME = "envoy.filters.http.fault";
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault";

  public FaultFilterConfig {
    requireNonNull(name, "name");
    requireNonNull(delay, "delay");
    requireNonNull(abort, "abort");
    requireNonNull(upstreamCluster, "upstreamCluster");
    downstreamNodes = List.copyOf(requireNonNull(downstreamNodes, "downstreamNodes"));
    headers = List.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(maxActiveFaults, "maxActiveFaults");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
    if (maxActiveFaults.isPresent()
        && (maxActiveFaults.getAsLong() < 0 || maxActiveFaults.getAsLong() > 0xFFFF_FFFFL)) {
      throw new IllegalArgumentException(
          "max_active_faults: " + maxActiveFaults.getAsLong() + " (expected: 0..4294967295)");
    }
  }

  @Override
  public String typeUrl() {
    return TYPE_URL;
  }
}
