package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.cluster.v3.ClusterProto;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetectionProto;
import io.envoyproxy.envoy.config.core.v3.HealthCheckProto;
import io.envoyproxy.envoy.type.v3.PercentProto;
import io.envoyproxy.envoy.type.v3.RangeProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The {@link SupportedFields} rules of a cluster's outlier detection, active health checks and
 * {@code common_lb_config} (the healthy panic threshold). {@code tcp_health_check} has no rules of
 * its own: only the empty message is accepted (its {@code send}/{@code receive} payloads are
 * refused).
 */
final class ResilienceSupportedFields {
  private ResilienceSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, OutlierDetectionProto.getDescriptor(), "OutlierDetection")
        .read("interval", "default 10s; > 0")
        .read("base_ejection_time", "default 30s; > 0; times the number of ejections")
        .read("max_ejection_time", "default max(300s, base_ejection_time)")
        .read("max_ejection_time_jitter", "default 0s")
        .read("max_ejection_percent", "default 10; 0..100")
        .read("always_eject_one_host", "default false")
        .read("consecutive_5xx", "default 5")
        .read("consecutive_gateway_failure", "default 5")
        .read("consecutive_local_origin_failure", "default 5; with split errors only")
        .read("split_external_local_origin_errors", "default false")
        .read("enforcing_consecutive_5xx", "default 100")
        .read("enforcing_consecutive_gateway_failure", "default 0")
        .read("enforcing_consecutive_local_origin_failure", "default 100")
        .read("enforcing_success_rate", "default 100")
        .read("enforcing_local_origin_success_rate", "default 100")
        .read("success_rate_minimum_hosts", "default 5")
        .read("success_rate_request_volume", "default 100")
        .read("success_rate_stdev_factor", "default 1900 (1.9 standard deviations)")
        .read("failure_percentage_threshold", "default 85; 0..100")
        .read("enforcing_failure_percentage", "default 0")
        .read("enforcing_failure_percentage_local_origin", "default 0")
        .read("failure_percentage_minimum_hosts", "default 5")
        .read("failure_percentage_request_volume", "default 50")
        .read("successful_active_health_check_uneject_host", "default true");
    TypeRules.of(t, HealthCheckProto.getDescriptor(), "HealthCheck")
        .read("timeout", "required; > 0")
        .read("interval", "required; > 0")
        .read("initial_jitter", "default 0s")
        .read("interval_jitter", "default 0s")
        .read("interval_jitter_percent", "default 0")
        .read("unhealthy_threshold", "required; >= 1")
        .read("healthy_threshold", "required; >= 1")
        .read("no_traffic_interval", "default 60s")
        .read("no_traffic_healthy_interval", "default no_traffic_interval")
        .read("unhealthy_interval", "default interval")
        .read("unhealthy_edge_interval", "default unhealthy_interval")
        .read("healthy_edge_interval", "default interval")
        .read("reuse_connection", "false only: every check opens a new connection")
        .read("http_health_check", "HTTP/1.1 GET (or method) of path")
        .read("tcp_health_check", "a connect; payloads refused");
    TypeRules.of(t, HealthCheckProto.getDescriptor(), "HealthCheck", "HttpHealthCheck")
        .read("host", "default the cluster name (DNS clusters: the host's name)")
        .read("path", "required")
        .read("method", "default GET; not CONNECT")
        .read("expected_statuses", "default [200, 201)")
        .read("retriable_statuses", "default none");
    TypeRules.of(t, RangeProto.getDescriptor(), "Int64Range")
        .read("start", "inclusive; >= 100")
        .read("end", "exclusive; <= 600");
    TypeRules.of(t, ClusterProto.getDescriptor(), "Cluster", "CommonLbConfig")
        .read("healthy_panic_threshold", "default 50%; 0 disables panic mode");
    TypeRules.of(t, PercentProto.getDescriptor(), "Percent").read("value", "0..100");
  }
}
