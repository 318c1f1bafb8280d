package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.BaseProto;
import io.envoyproxy.envoy.config.core.v3.ProtocolProto;
import io.envoyproxy.envoy.config.route.v3.RouteComponentsProto;
import io.envoyproxy.envoy.config.route.v3.RouteProto;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManagerProto;
import io.envoyproxy.envoy.type.matcher.v3.RegexProto;
import io.envoyproxy.envoy.type.matcher.v3.StringProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The supported subset of the HTTP connection manager and of the route configuration, registered
 * into {@link SupportedFields}' table. {@code docs/configuration.md} mirrors it.
 */
final class HttpSupportedFields {
  private HttpSupportedFields() {}

  /** Adds the HTTP types' rules to {@code t}. */
  static void register(Map<String, Map<String, Rule>> t) {
    addConnectionManager(t);
    addRouteConfiguration(t);
    addRouteMatch(t);
    addRouteActions(t);
    FilterSupportedFields.register(t);
  }

  private static void addConnectionManager(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, HttpConnectionManagerProto.getDescriptor(), "HttpConnectionManager")
        .read("stat_prefix", "required")
        .read("codec_type", "AUTO (default), HTTP1 or HTTP2")
        .read("route_config", "inline routes")
        .read("rds", "routes by name over RDS; in LDS resources, refused in a static bootstrap")
        .read("http_filters", "the router last")
        .read(
            "common_http_protocol_options",
            "idle_timeout, max_headers_count, max_stream_duration, max_connection_duration,"
                + " max_requests_per_connection, headers_with_underscores_action")
        .read("http2_protocol_options", "stream limits and windows")
        .read("max_request_headers_kb", "default 60; 1..8192")
        .read("stream_idle_timeout", "default 5m; 0s disables it")
        .read("request_timeout", "default 0s (disabled)")
        .read("request_headers_timeout", "default 0s (disabled); HTTP/1.1 downstreams")
        .read("use_remote_address", "default false")
        .read("xff_num_trusted_hops", "default 0")
        .read("generate_request_id", "default true")
        .read("server_name", "default \"outrigger\" (Envoy: \"envoy\")")
        .read("upgrade_configs", "upgrade types allowed, e.g. websocket")
        .read("stream_error_on_invalid_http_message", "default false")
        .read("access_log", "file, stdout or stderr; logged when each stream completes")
        .read("forward_client_cert_details", "x-forwarded-client-cert; default SANITIZE")
        .read("set_current_client_cert_details", "subject and uri; Hash and By always")
        .read("tracing", "the OpenTelemetry provider; see docs/tracing.md");

    TypeRules.of(
            t,
            HttpConnectionManagerProto.getDescriptor(),
            "HttpConnectionManager",
            "SetCurrentClientCertDetails")
        .read("subject", "default false")
        .read("uri", "default false");
    TypeRules.of(t, HttpConnectionManagerProto.getDescriptor(), "Rds")
        .read("route_config_name", "required")
        .read("config_source", "{ads: {}}; may be left out, meaning ADS");
    TypeRules.of(t, HttpConnectionManagerProto.getDescriptor(), "HttpFilter")
        .read("name", "free; the filter is recognised by its typed_config type")
        .read(
            "typed_config", "Router, HTTPFault, LocalRateLimit, RBAC or the partition TypedStruct");
    TypeRules.of(t, ProtocolProto.getDescriptor(), "HttpProtocolOptions")
        .read("idle_timeout", "default 1h; 0s disables it")
        .read("max_headers_count", "default 100; at least 1")
        .read("max_stream_duration", "default none")
        .read("max_connection_duration", "default none; the connection drains")
        .read("max_requests_per_connection", "default none; the connection drains")
        .read("headers_with_underscores_action", "ALLOW (default), REJECT_REQUEST or DROP_HEADER");
    TypeRules.of(t, ProtocolProto.getDescriptor(), "Http2ProtocolOptions")
        .read("max_concurrent_streams", "default 2147483647; 1..2147483647")
        .read("initial_stream_window_size", "default 268435456; 65535..2147483647")
        .read("initial_connection_window_size", "default 268435456; 65535..2147483647");
    TypeRules.of(
            t, HttpConnectionManagerProto.getDescriptor(), "HttpConnectionManager", "UpgradeConfig")
        .read("upgrade_type", "required, e.g. websocket")
        .read("enabled", "default true");
  }

  private static void addRouteConfiguration(Map<String, Map<String, Rule>> t) {
    headerMutations(
        TypeRules.of(t, RouteProto.getDescriptor(), "RouteConfiguration")
            .read("name", "default empty")
            .read("virtual_hosts", "names unique, domains unique"));
    headerMutations(
        TypeRules.of(t, RouteComponentsProto.getDescriptor(), "VirtualHost")
            .read("name", "required")
            .read("domains", "required; exact, *.suffix, prefix.* or *")
            .read("routes", "first match wins")
            .read("retry_policy", "routes without their own retry_policy use it")
            .read("hedge_policy", "routes without their own hedge_policy use it")
            .read("per_request_buffer_limit_bytes", "default 1048576 (1 MiB): the replay buffer")
            .read("include_request_attempt_count", "default false: send x-envoy-attempt-count")
            .read("typed_per_filter_config", "per filter name: HTTPFault or LocalRateLimit"));
    perFilterConfigEntry(
        t, ProtoTypes.message(RouteComponentsProto.getDescriptor(), "VirtualHost"));
    headerMutations(
        TypeRules.of(t, RouteComponentsProto.getDescriptor(), "Route")
            .read("name", "default empty")
            .read("match", "required")
            .read("route", "forward to a cluster")
            .read("redirect", "answer with a redirect")
            .read("direct_response", "answer directly")
            .read("per_request_buffer_limit_bytes", "default: the virtual host's, else 1 MiB")
            .read("typed_per_filter_config", "per filter name: HTTPFault or LocalRateLimit")
            .ignore("metadata", "accepted, not used"));
    perFilterConfigEntry(t, ProtoTypes.message(RouteComponentsProto.getDescriptor(), "Route"));
    TypeRules.of(t, BaseProto.getDescriptor(), "HeaderValueOption")
        .read("header", "required")
        .read("append_action", "default APPEND_IF_EXISTS_OR_ADD")
        .read(
            "append",
            "deprecated; true = APPEND_IF_EXISTS_OR_ADD, false = OVERWRITE_IF_EXISTS_OR_ADD");
    TypeRules.of(t, BaseProto.getDescriptor(), "HeaderValue")
        .read("key", "required; not a pseudo-header, host or hop-by-hop header")
        .read("value", "literal; %% for %, no command operators");
  }

  private static void addRetryPolicy(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RetryPolicy")
        .read(
            "retry_on",
            "comma-separated: 5xx, gateway-error, reset, connect-failure,"
                + " retriable-4xx, refused-stream, retriable-status-codes, retriable-headers,"
                + " cancelled, deadline-exceeded, internal, resource-exhausted, unavailable")
        .read("num_retries", "default 1")
        .read("per_try_timeout", "default none: only the route timeout")
        .read("per_try_idle_timeout", "default none")
        .read("retry_back_off", "default base 25ms, max 10 x base; fully jittered")
        .read("rate_limited_retry_back_off", "back off as the upstream's reset headers say")
        .read("retriable_status_codes", "with retry_on retriable-status-codes")
        .read("retriable_headers", "with retry_on retriable-headers")
        .read("retry_host_predicate", "envoy.retry_host_predicates.previous_hosts only")
        .read("host_selection_retry_max_attempts", "default 1");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RetryPolicy", "RetryBackOff")
        .read("base_interval", "required; >= 1ms")
        .read("max_interval", "default 10 x base_interval");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RetryPolicy", "RateLimitedRetryBackOff")
        .read("reset_headers", "required, e.g. retry-after (SECONDS)")
        .read("max_interval", "default 300s");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RetryPolicy", "ResetHeader")
        .read("name", "required")
        .read("format", "SECONDS (default) or UNIX_TIMESTAMP");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RetryPolicy", "RetryHostPredicate")
        .read("name", "envoy.retry_host_predicates.previous_hosts")
        .read("typed_config", "PreviousHostsPredicate (no fields)");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "HedgePolicy")
        .read("hedge_on_per_try_timeout", "default false")
        .read("initial_requests", "only 1 (the default)");
  }

  private static void addRouteMatch(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RouteMatch")
        .read("prefix", "one of prefix, path, safe_regex")
        .read("path", "one of prefix, path, safe_regex")
        .read("safe_regex", "one of prefix, path, safe_regex; matches the whole path")
        .read("case_sensitive", "default true")
        .read("headers", "all must match")
        .read("query_parameters", "all must match");
    TypeRules.of(t, RegexProto.getDescriptor(), "RegexMatcher")
        .read("regex", "RE2 syntax")
        .ignore("google_re2", "deprecated; accepted");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "HeaderMatcher")
        .read("name", "required")
        .read("string_match", "the v3 form")
        .read("exact_match", "deprecated form")
        .read("prefix_match", "deprecated form")
        .read("suffix_match", "deprecated form")
        .read("contains_match", "deprecated form")
        .read("safe_regex_match", "deprecated form")
        .read("present_match", "presence test")
        .read("invert_match", "default false");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "QueryParameterMatcher")
        .read("name", "required")
        .read("string_match", "compares the first value")
        .read("present_match", "true only");
    TypeRules.of(t, StringProto.getDescriptor(), "StringMatcher")
        .read("exact", "")
        .read("prefix", "")
        .read("suffix", "")
        .read("contains", "")
        .read("safe_regex", "matches the whole value")
        .read("ignore_case", "default false");
  }

  private static void addRouteActions(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RouteAction")
        .read("cluster", "must name a static cluster")
        .read("weighted_clusters", "clusters with weights")
        .read("cluster_header", "the cluster named by a request header")
        .read("prefix_rewrite", "replaces the matched prefix")
        .read("regex_rewrite", "rewrites the path")
        .read("host_rewrite_literal", "the upstream authority")
        .read("auto_host_rewrite", "the upstream host's address as authority")
        .read("timeout", "default 15s; 0s disables it")
        .read("idle_timeout", "default: the stream_idle_timeout")
        .read("hash_policy", "header, cookie (existing), connection_properties.source_ip")
        .read("upgrade_configs", "per-route upgrade overrides")
        .read("retry_policy", "overrides the virtual host's")
        .read("hedge_policy", "overrides the virtual host's");
    addRetryPolicy(t);
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "WeightedCluster")
        .read("clusters", "at least one; weights sum > 0")
        .read("total_weight", "deprecated; must equal the sum");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "WeightedCluster", "ClusterWeight")
        .read("name", "must name a static cluster")
        .read("weight", "default 0");
    TypeRules.of(t, RegexProto.getDescriptor(), "RegexMatchAndSubstitute")
        .read("pattern", "RE2 syntax")
        .read("substitution", "\\1 for capture groups");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RouteAction", "HashPolicy")
        .read("header", "")
        .read("cookie", "an existing cookie")
        .read("connection_properties", "source_ip")
        .read("terminal", "default false");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RouteAction", "HashPolicy", "Header")
        .read("header_name", "required");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RouteAction", "HashPolicy", "Cookie")
        .read("name", "required")
        .read("ttl", "refused: cookie generation is not supported")
        .ignore("path", "only used when generating the cookie");
    TypeRules.of(
            t,
            RouteComponentsProto.getDescriptor(),
            "RouteAction",
            "HashPolicy",
            "ConnectionProperties")
        .read("source_ip", "hash the downstream IP");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RouteAction", "UpgradeConfig")
        .read("upgrade_type", "required")
        .read("enabled", "default true");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "RedirectAction")
        .read("https_redirect", "")
        .read("scheme_redirect", "")
        .read("host_redirect", "")
        .read("port_redirect", "")
        .read("path_redirect", "")
        .read("prefix_rewrite", "")
        .read("response_code", "default MOVED_PERMANENTLY")
        .read("strip_query", "default false");
    TypeRules.of(t, RouteComponentsProto.getDescriptor(), "DirectResponseAction")
        .read("status", "200..599")
        .read("body", "inline_string or inline_bytes, at most 4096 bytes");
    TypeRules.of(t, BaseProto.getDescriptor(), "DataSource")
        .read("inline_string", "")
        .read("inline_bytes", "")
        .read("filename", "TLS certificates, keys and CAs only; direct_response refuses it");
  }

  /** The map entry type of a {@code typed_per_filter_config}; its values are checked when read. */
  private static void perFilterConfigEntry(
      Map<String, Map<String, Rule>> t, com.google.protobuf.Descriptors.Descriptor owner) {
    TypeRules.of(t, owner.findFieldByName("typed_per_filter_config").getMessageType())
        .read("key", "the name of an http filter of the chain")
        .read(
            "value",
            "HTTPFault, LocalRateLimit or the partition TypedStruct, bare or in a FilterConfig");
  }

  private static void headerMutations(TypeRules rules) {
    rules
        .read("request_headers_to_add", "")
        .read("request_headers_to_remove", "")
        .read("response_headers_to_add", "")
        .read("response_headers_to_remove", "");
  }
}
