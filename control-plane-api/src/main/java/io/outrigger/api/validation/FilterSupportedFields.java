package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.BaseProto;
import io.envoyproxy.envoy.config.route.v3.RouteComponentsProto;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultProto;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimitProto;
import io.envoyproxy.envoy.type.v3.HttpStatusProto;
import io.envoyproxy.envoy.type.v3.PercentProto;
import io.envoyproxy.envoy.type.v3.TokenBucketProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The supported subset of the HTTP filters other than the router: fault injection and local rate
 * limit, and Envoy's per-route {@code FilterConfig} wrapper. {@code docs/filters.md} mirrors it.
 */
final class FilterSupportedFields {
  private static final String NO_RUNTIME =
      "accepted; Outrigger has no runtime layer, so the configured value always applies";

  private FilterSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(
            t,
            io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultProto.getDescriptor(),
            "HTTPFault")
        .read("delay", "fixed_delay or header_delay, with percentage")
        .read("abort", "http_status, grpc_status or header_abort, with percentage")
        .read("upstream_cluster", "only requests routed to this cluster")
        .read("downstream_nodes", "only these x-envoy-downstream-service-node values")
        .read("headers", "only requests matching all of these")
        .read("max_active_faults", "default: no limit")
        .ignore("delay_percent_runtime", NO_RUNTIME)
        .ignore("abort_percent_runtime", NO_RUNTIME)
        .ignore("delay_duration_runtime", NO_RUNTIME)
        .ignore("abort_http_status_runtime", NO_RUNTIME)
        .ignore("abort_grpc_status_runtime", NO_RUNTIME)
        .ignore("max_active_faults_runtime", NO_RUNTIME)
        .ignore(
            "disable_downstream_cluster_stats",
            "accepted; Outrigger keeps no per-downstream-cluster fault statistics");
    TypeRules.of(t, FaultProto.getDescriptor(), "FaultDelay")
        .read("fixed_delay", "milliseconds")
        .read("header_delay", "x-envoy-fault-delay-request")
        .read("percentage", "default 0% (never)");
    TypeRules.of(
            t,
            io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultProto.getDescriptor(),
            "FaultAbort")
        .read("http_status", "200..599")
        .read("grpc_status", "HTTP 200 with this grpc-status")
        .read("header_abort", "x-envoy-fault-abort-request / x-envoy-fault-abort-grpc-request")
        .read("percentage", "default 0% (never)");
    TypeRules.of(t, PercentProto.getDescriptor(), "FractionalPercent")
        .read("numerator", "default 0")
        .read("denominator", "HUNDRED (default), TEN_THOUSAND or MILLION");
    TypeRules.of(t, LocalRateLimitProto.getDescriptor(), "LocalRateLimit")
        .read("stat_prefix", "required")
        .read("status", "default 429; below 400 means 429")
        .read("token_bucket", "required per route")
        .read("filter_enabled", "default 0%: the filter does nothing")
        .read("filter_enforced", "default 0%: limited requests are only counted")
        .read("response_headers_to_add", "added to the limited answer");
    TypeRules.of(t, TokenBucketProto.getDescriptor(), "TokenBucket")
        .read("max_tokens", "required; >= 1")
        .read("tokens_per_fill", "default 1")
        .read("fill_interval", "required; >= 50ms");
    TypeRules.of(t, BaseProto.getDescriptor(), "RuntimeFractionalPercent")
        .read("default_value", "required")
        .ignore("runtime_key", NO_RUNTIME);
    TypeRules.of(t, HttpStatusProto.getDescriptor(), "HttpStatus").read("code", "required");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "FilterConfig")
        .read(
            "config",
            "required: HTTPFault, LocalRateLimit, RBACPerRoute or the partition TypedStruct")
        .read(
            "is_optional",
            "an entry for a filter the chain lacks is ignored; an unsupported type is refused"
                + " whether optional or not");
  }
}
