package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.listener.v3.ListenerComponentsProto;
import io.envoyproxy.envoy.config.listener.v3.ListenerProto;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspectorProto;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDstProto;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspectorProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The {@link SupportedFields} rules of listeners, their listener filters, filter chains and
 * filter-chain matching.
 */
final class ListenerSupportedFields {
  private ListenerSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, ListenerProto.getDescriptor(), "Listener")
        .read("name", "required, unique")
        .read("address", "required; an IP literal")
        .read("filter_chains", "told apart by filter_chain_match; may be empty with a default")
        .read("default_filter_chain", "default none: a connection no chain matches is closed")
        .read("per_connection_buffer_limit_bytes", "default 1048576 (1 MiB)")
        .read("listener_filters", "original_dst, tls_inspector, http_inspector; in order")
        .read("listener_filters_timeout", "default 15s; 0s waits for ever")
        .read("continue_on_listener_filters_timeout", "default false: close on the timeout")
        .read("use_original_dst", "default false: hand redirected connections to their listener")
        .read("bind_to_port", "default true; false: only takes hand-offs")
        .read("deprecated_v1", "bind_to_port only, as bind_to_port")
        .ignore("traffic_direction", "accepted; a hint for statistics and tracing, not used")
        .ignore("stat_prefix", "accepted; statistics are labelled by listener name")
        .ignore("metadata", "accepted, not used");
    TypeRules.of(t, ListenerProto.getDescriptor(), "Listener", "DeprecatedV1")
        .read("bind_to_port", "default true");
    TypeRules.of(t, ListenerComponentsProto.getDescriptor(), "ListenerFilter")
        .read("name", "free; the filter is recognised by its typed_config type")
        .read("typed_config", "OriginalDst, TlsInspector or HttpInspector");
    // The three filters' own fields are all refused: none of them is implemented.
    TypeRules.of(t, OriginalDstProto.getDescriptor(), "OriginalDst");
    TypeRules.of(t, TlsInspectorProto.getDescriptor(), "TlsInspector");
    TypeRules.of(t, HttpInspectorProto.getDescriptor(), "HttpInspector");
    TypeRules.of(t, ListenerComponentsProto.getDescriptor(), "FilterChain")
        .read("filters", "network filters; tcp_proxy or http_connection_manager last")
        .read("name", "default empty")
        .read("filter_chain_match", "see FilterChainMatch")
        .read("transport_socket", "envoy.transport_sockets.tls with a DownstreamTlsContext")
        .ignore("metadata", "accepted, not used");
    TypeRules.of(t, ListenerComponentsProto.getDescriptor(), "FilterChainMatch")
        .read("destination_port", "the original (else local) destination port; default any")
        .read("prefix_ranges", "CIDRs of the destination IP; the longest match wins")
        .read("server_names", "SNI: exact names or *.domain; the most specific name wins")
        .read("transport_protocol", "tls or raw_buffer; raw_buffer unless tls_inspector saw TLS")
        .read("application_protocols", "ALPN (tls_inspector) or http/1.x, h2c (http_inspector)")
        .read("source_prefix_ranges", "CIDRs of the peer's IP; the longest match wins")
        .read("source_ports", "the peer's port");
    // CidrRange: registered with RBAC's rules, which read it the same way.
  }
}
