package io.outrigger.proxy.stats.envoy;

import io.micrometer.core.instrument.Meter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Envoy's names of the meters without a listener, cluster or filter scope: the server, the
 * discovery client, the overload manager, access logs and tracing.
 */
final class OtherNames {
  private OtherNames() {}

  static StatName name(Meter.Id id) {
    String n = id.getName();
    if (n.startsWith("server_")) {
      // Outrigger's own server gauges keep their labels (the event loop group: worker or admin);
      // without them two gauges would print as one series.
      List<Tag> labels = new ArrayList<>();
      for (io.micrometer.core.instrument.Tag t : id.getTagsAsIterable()) {
        labels.add(new Tag(t.getKey(), t.getValue()));
      }
      return new StatName("server." + n.substring("server_".length()), labels);
    }
    if (n.startsWith("xds_")) {
      String stat = n.equals("xds_version") ? "version" : n.substring("xds_".length());
      return StatName.of(xdsScope(String.valueOf(id.getTag("type"))) + stat);
    }
    if (n.equals("control_plane_connected_state")) {
      return StatName.of("control_plane.connected_state");
    }
    if (n.equals("control_plane_endpoint")) {
      return StatName.of("control_plane.endpoint", "address", String.valueOf(id.getTag("address")));
    }
    if (n.startsWith("overload_")) {
      return overload(id);
    }
    if (n.equals("access_log_dropped")) {
      return StatName.of("access_log.dropped", "path", String.valueOf(id.getTag("path")));
    }
    if (n.startsWith("tracing_spans_")) {
      return StatName.of(
          "tracing.opentelemetry." + n.substring("tracing_".length()),
          "service_name",
          String.valueOf(id.getTag("service_name")));
    }
    return StatName.of(n);
  }

  /** Envoy's scope of each discovery type: {@code cluster_manager.cds.update_success}, … */
  private static String xdsScope(String type) {
    return switch (type) {
      case "CDS" -> "cluster_manager.cds.";
      case "EDS" -> "cluster_manager.eds.";
      case "LDS" -> "listener_manager.lds.";
      default -> type.toLowerCase(Locale.ROOT) + ".";
    };
  }

  private static StatName overload(Meter.Id id) {
    String n = id.getName();
    return switch (n) {
      case "overload_resource_pressure" ->
          StatName.of("overload." + id.getTag("resource") + ".pressure");
      case "overload_action_scale_percent" ->
          StatName.of("overload." + id.getTag("action") + ".scale_percent");
      case "overload_action_active" -> StatName.of("overload." + id.getTag("action") + ".active");
      case "overload_rejected_connections" ->
          StatName.of("overload.rejected_connections." + id.getTag("reason"));
      default -> StatName.of("overload." + n.substring("overload_".length()));
    };
  }
}
