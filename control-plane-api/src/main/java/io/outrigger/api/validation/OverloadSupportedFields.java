package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.overload.v3.OverloadAction;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.config.overload.v3.ScaledTrigger;
import io.envoyproxy.envoy.config.overload.v3.ThresholdTrigger;
import io.envoyproxy.envoy.config.overload.v3.Trigger;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/** The supported subset of the overload manager, registered into {@link SupportedFields}. */
final class OverloadSupportedFields {
  private OverloadSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, OverloadManager.getDescriptor())
        .read("refresh_interval", "default 1s")
        .read("resource_monitors", "fixed_heap, global_downstream_max_connections")
        .read(
            "actions",
            "stop_accepting_requests, disable_http_keepalive,"
                + " stop_accepting_connections, reject_incoming_connections");
    TypeRules.of(t, ResourceMonitor.getDescriptor())
        .read("name", "the monitor, by Envoy's name")
        .read("typed_config", "FixedHeapConfig or DownstreamConnectionsConfig");
    TypeRules.of(t, OverloadAction.getDescriptor())
        .read("name", "the action, by Envoy's name")
        .read("triggers", "at least one, on envoy.resource_monitors.fixed_heap");
    TypeRules.of(t, Trigger.getDescriptor())
        .read("name", "envoy.resource_monitors.fixed_heap")
        .read("threshold", "saturated at or above value")
        .read("scaled", "scaled between scaling_threshold and saturation_threshold");
    TypeRules.of(t, ThresholdTrigger.getDescriptor()).read("value", "0..1");
    TypeRules.of(t, ScaledTrigger.getDescriptor())
        .read("scaling_threshold", "0..1, below saturation_threshold")
        .read("saturation_threshold", "0..1");
    TypeRules.of(t, FixedHeapConfig.getDescriptor())
        .read("max_heap_size_bytes", "required; the heap budget (direct memory: the JVM's limit)");
    TypeRules.of(t, DownstreamConnectionsConfig.getDescriptor())
        .read("max_active_downstream_connections", "required; at least 1");
  }
}
