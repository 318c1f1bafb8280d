package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.AddressProto;
import io.envoyproxy.envoy.config.rbac.v3.RbacProto;
import io.envoyproxy.envoy.type.matcher.v3.PathProto;
import io.envoyproxy.envoy.type.v3.RangeProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The supported subset of the RBAC filters ({@code envoy.filters.http.rbac}, {@code
 * envoy.filters.network.rbac}) and of {@code config.rbac.v3}. Everything else ({@code metadata},
 * {@code filter_state}, {@code matcher}, {@code uri_template}, CEL {@code condition}, {@code
 * audit_logging_options}, the filters' {@code matcher} and {@code shadow_matcher}) is refused by
 * name. {@code docs/configuration.md} mirrors it.
 */
final class RbacSupportedFields {
  private RbacSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(
            t,
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RbacProto.getDescriptor(),
            "RBAC")
        .read("rules", "default absent: no enforcement")
        .read("shadow_rules", "default absent; evaluated and counted, never enforced")
        .read("rules_stat_prefix", "default empty; the rules_stat_prefix label")
        .read(
            "shadow_rules_stat_prefix",
            "default empty; the rules_stat_prefix label of shadow" + " statistics");
    TypeRules.of(
            t,
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RbacProto.getDescriptor(),
            "RBACPerRoute")
        .read("rbac", "replaces the filter's config on the route; absent disables the filter");
    TypeRules.of(
            t,
            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RbacProto.getDescriptor(),
            "RBAC")
        .read("stat_prefix", "required; the stat_prefix label")
        .read("rules", "default absent: no enforcement; no header or url_path")
        .read("shadow_rules", "default absent; evaluated and counted, never enforced")
        .read("shadow_rules_stat_prefix", "default empty")
        .read(
            "enforcement_type",
            "ONE_TIME_ON_FIRST_BYTE (default) or CONTINUOUS, which decides the same: no byte"
                + " changes what the rules read");
    TypeRules.of(t, RbacProto.getDescriptor(), "RBAC")
        .read("action", "ALLOW (default) or DENY; LOG is refused")
        .read("policies", "by name, tried in name order; the first match is the matched policy");
    TypeRules.of(t, RbacProto.getDescriptor(), "Policy")
        .read("permissions", "at least one; OR'ed")
        .read("principals", "at least one; OR'ed");
    TypeRules.of(t, RbacProto.getDescriptor(), "Principal")
        .read("any", "every downstream")
        .read("authenticated", "a verified client certificate")
        .read("direct_remote_ip", "the socket's peer address")
        .read("remote_ip", "the socket's peer address (x-forwarded-for is not used)")
        .read("source_ip", "deprecated; the socket's peer address")
        .read("header", "HTTP filter only")
        .read("url_path", "HTTP filter only; the path without query")
        .read("and_ids", "all")
        .read("or_ids", "any")
        .read("not_id", "negation");
    TypeRules.of(t, RbacProto.getDescriptor(), "Principal", "Authenticated")
        .read(
            "principal_name",
            "matched against the URI SANs, then the DNS SANs, then the subject; absent: any"
                + " verified certificate");
    TypeRules.of(t, RbacProto.getDescriptor(), "Principal", "Set").read("ids", "at least one");
    TypeRules.of(t, RbacProto.getDescriptor(), "Permission")
        .read("any", "everything")
        .read("header", "HTTP filter only; :method, :path, :authority from the request line")
        .read("url_path", "HTTP filter only; the path without query")
        .read("destination_ip", "the local address")
        .read("destination_port", "the local port")
        .read("destination_port_range", "the local port in [start, end)")
        .read("requested_server_name", "the TLS SNI; empty when none")
        .read("and_rules", "all")
        .read("or_rules", "any")
        .read("not_rule", "negation");
    TypeRules.of(t, RbacProto.getDescriptor(), "Permission", "Set").read("rules", "at least one");
    TypeRules.of(t, AddressProto.getDescriptor(), "CidrRange")
        .read("address_prefix", "required; an IPv4 or IPv6 literal")
        .read("prefix_len", "default 0; up to 32 (IPv4) or 128 (IPv6)");
    TypeRules.of(t, RangeProto.getDescriptor(), "Int32Range")
        .read("start", "inclusive")
        .read("end", "exclusive");
    TypeRules.of(t, PathProto.getDescriptor(), "PathMatcher")
        .read("path", "required; a StringMatcher");
  }
}
