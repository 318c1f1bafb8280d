package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.overload.v3.OverloadProto;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsProto;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/** The supported subset of the overload manager, registered into {@link SupportedFields}. */
final class OverloadSupportedFields {
  private OverloadSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, OverloadProto.getDescriptor(), "OverloadManager")
        .read("refresh_interval", "default 1s")
        .read("resource_monitors", "fixed_heap, global_downstream_max_connections")
        .read(
            "actions",
            "stop_accepting_requests, disable_http_keepalive,"
                + " stop_accepting_connections, reject_incoming_connections");
    TypeRules.of(t, OverloadProto.getDescriptor(), "ResourceMonitor")
        .read("name", "the monitor, by Envoy's name")
        .read("typed_config", "FixedHeapConfig or DownstreamConnectionsConfig");
    TypeRules.of(t, OverloadProto.getDescriptor(), "OverloadAction")
        .read("name", "the action, by Envoy's name")
        .read("triggers", "at least one, on envoy.resource_monitors.fixed_heap");
    TypeRules.of(t, OverloadProto.getDescriptor(), "Trigger")
        .read("name", "envoy.resource_monitors.fixed_heap")
        .read("threshold", "saturated at or above value")
        .read("scaled", "scaled between scaling_threshold and saturation_threshold");
    TypeRules.of(t, OverloadProto.getDescriptor(), "ThresholdTrigger").read("value", "0..1");
    TypeRules.of(t, OverloadProto.getDescriptor(), "ScaledTrigger")
        .read("scaling_threshold", "0..1, below saturation_threshold")
        .read("saturation_threshold", "0..1");
    TypeRules.of(t, FixedHeapProto.getDescriptor(), "FixedHeapConfig")
        .read("max_heap_size_bytes", "required; the heap budget (direct memory: the JVM's limit)");
    TypeRules.of(t, DownstreamConnectionsProto.getDescriptor(), "DownstreamConnectionsConfig")
        .read("max_active_downstream_connections", "required; at least 1");
  }
}
