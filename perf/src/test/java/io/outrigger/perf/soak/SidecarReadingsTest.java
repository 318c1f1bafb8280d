package io.outrigger.perf.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SidecarReadingsTest {
  private static final String STATS =
      """
      # HELP server_event_loop_pending_tasks Tasks queued
      # TYPE server_event_loop_pending_tasks gauge
      server_event_loop_pending_tasks{group="admin"} 1.0
      server_event_loop_pending_tasks{group="worker"} 3.0
      envoy_downstream_cx_active{listener="soak"} 7.0
      envoy_downstream_cx_active{listener="other"} 2.0
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1048576.0
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
      control_plane_connected_state 1.0
      """;

  @Test
  void sumsTheSamplesOfAMetricWhoseLabelsMatchWithOrWithoutEnvoysPrefix() {
    assertThat(PromText.sum(STATS, "server_event_loop_pending_tasks", "group=\"worker\""))
        .isEqualTo(3);
    assertThat(PromText.sum(STATS, "downstream_cx_active", "")).isEqualTo(9);
    assertThat(PromText.sum(STATS, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3 << 20);
    assertThat(PromText.sum(STATS, "control_plane_connected_state", "")).isEqualTo(1);
    assertThat(PromText.sum(STATS, "upstream_cx_active", "")).isNaN();
    assertThat(PromText.sum("", "downstream_cx_active", "")).isNaN();
  }

  @Test
  void readsEnvoysScopedConnectionGaugesFirstAndTheIdiomaticOnesOtherwise() {
    String envoy =
        """
        envoy_listener_downstream_cx_active{envoy_listener_address="127.0.0.1_18443"} 5
        envoy_http_downstream_cx_active{envoy_http_conn_manager_prefix="soak"} 5
        envoy_cluster_upstream_cx_active{envoy_cluster_name="pool"} 2
        envoy_cluster_upstream_cx_active{envoy_cluster_name="steady_a"} 1
        envoy_server_event_loop_pending_tasks{group="worker"} 4
        """;
    assertThat(PromText.first(envoy, "listener_downstream_cx_active", "downstream_cx_active"))
        .as("the listener's count, not the connection manager's as well")
        .isEqualTo(5);
    assertThat(PromText.first(envoy, "cluster_upstream_cx_active", "upstream_cx_active"))
        .isEqualTo(3);
    assertThat(PromText.sum(envoy, "server_event_loop_pending_tasks", "group=\"worker\""))
        .isEqualTo(4);
    assertThat(PromText.first(STATS, "listener_downstream_cx_active", "downstream_cx_active"))
        .isEqualTo(9);
    assertThat(PromText.first(STATS, "nothing", "neither")).isNaN();
  }

  @Test
  void theSidecarIsSyncedOnlyWhenEveryTypeOfEveryProxyIs() {
    String synced =
        """
        {"config": {"state": "OK"}, "proxies": [{"node_id": "soak", "types": {
          "CDS": {"state": "SYNCED"}, "EDS": {"state": "SYNCED"}, "SDS": {"state": "NOT_SENT"}}}],
         "push_to_ack": {"CDS": {"count": 1}}}""";
    assertThat(ControlPlaneStatus.summarize(synced)).isEqualTo("SYNCED");
    assertThat(
            ControlPlaneStatus.summarize(
                synced.replaceFirst("SYNCED\"}, \"EDS", "STALE\"}, \"EDS")))
        .isEqualTo("STALE");
    assertThat(ControlPlaneStatus.summarize("{\"config\": {\"state\": \"OK\"}, \"proxies\": []}"))
        .isEqualTo("NO_PROXY");
  }
}
