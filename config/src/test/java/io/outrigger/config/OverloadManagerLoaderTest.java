package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.overload.FixedHeapMonitorConfig;
import io.outrigger.api.model.overload.OverloadAction;
import io.outrigger.api.model.overload.OverloadActionConfig;
import io.outrigger.api.model.overload.OverloadManagerConfig;
import io.outrigger.api.model.overload.OverloadTrigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bootstrap's {@code overload_manager} as Envoy writes it: what is read, what is refused. */
class OverloadManagerLoaderTest {
  private static final String HEAP =
      """
      resource_monitors:
      - name: envoy.resource_monitors.fixed_heap
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig
          max_heap_size_bytes: 67108864
      """;

  private static OverloadManagerConfig load(String overloadManager) throws Exception {
    return BootstrapLoader.load(
            "overload_manager:\n" + overloadManager.indent(2), "o.yaml", Map.of())
        .config()
        .overloadManager()
        .orElseThrow();
  }

  @Test
  void readsMonitorsActionsAndTriggersAsEnvoyWritesThem() throws Exception {
    OverloadManagerConfig config =
        load(
            """
              refresh_interval: 0.25s
              resource_monitors:
              - name: envoy.resource_monitors.fixed_heap
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig
                  max_heap_size_bytes: 67108864
              - name: envoy.resource_monitors.global_downstream_max_connections
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig
                  max_active_downstream_connections: 5000
              actions:
              - name: envoy.overload_actions.disable_http_keepalive
                triggers:
                - name: envoy.resource_monitors.fixed_heap
                  scaled: { scaling_threshold: 0.8, saturation_threshold: 0.95 }
              - name: envoy.overload_actions.stop_accepting_requests
                triggers:
                - name: envoy.resource_monitors.fixed_heap
                  threshold: { value: 0.98 }
            """);

    assertThat(config)
        .isEqualTo(
            new OverloadManagerConfig(
                Duration.ofMillis(250),
                Optional.of(new FixedHeapMonitorConfig(64L << 20)),
                Optional.of(5000L),
                List.of(
                    new OverloadActionConfig(
                        OverloadAction.DISABLE_HTTP_KEEPALIVE,
                        List.of(new OverloadTrigger.Scaled(0.8, 0.95))),
                    new OverloadActionConfig(
                        OverloadAction.STOP_ACCEPTING_REQUESTS,
                        List.of(new OverloadTrigger.Threshold(0.98))))));
  }

  @Test
  void refusesWhatItWouldNotHonourNamingTheField() {
    assertThatThrownBy(
            () ->
                load(
                    """
                      resource_monitors:
                      - name: envoy.resource_monitors.injected_resource
                    """))
        .hasMessageContaining("overload_manager.resource_monitors[0].name")
        .hasMessageContaining("not supported");
    assertThatThrownBy(
            () ->
                load(
                    (HEAP
                        + """
                      actions:
                      - name: envoy.overload_actions.shrink_heap
                        triggers:
                        - name: envoy.resource_monitors.fixed_heap
                          threshold: { value: 0.9 }
                      """)))
        .hasMessageContaining("overload_manager.actions[0].name")
        .hasMessageContaining("shrink_heap");
    assertThatThrownBy(
            () ->
                load(
                    """
                      actions:
                      - name: envoy.overload_actions.stop_accepting_requests
                        triggers:
                        - name: envoy.resource_monitors.fixed_heap
                          threshold: { value: 0.9 }
                    """))
        .hasMessageContaining("overload_manager.actions[0].triggers[0].name")
        .hasMessageContaining("names no configured resource monitor");
    assertThatThrownBy(
            () ->
                load(
                    (HEAP
                        + """
                      actions:
                      - name: envoy.overload_actions.stop_accepting_requests
                        triggers:
                        - name: envoy.resource_monitors.fixed_heap
                          threshold: { value: 1.5 }
                      """)))
        .hasMessageContaining("overload_manager.actions[0].triggers[0]")
        .hasMessageContaining("threshold.value: 1.5 (expected: 0..1)");
    assertThatThrownBy(() -> load("loadshed_points:\n- name: envoy.load_shed_points.x\n"))
        .hasMessageContaining("overload_manager.loadshed_points");
  }
}
