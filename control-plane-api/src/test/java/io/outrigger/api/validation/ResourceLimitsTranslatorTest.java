package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.outrigger.api.model.ResourceLimitsConfig;
import org.junit.jupiter.api.Test;

class ResourceLimitsTranslatorTest {
  private static ResourceLimitsConfig limits(String circuitBreakers) throws Exception {
    Cluster.Builder b = Cluster.newBuilder();
    JsonFormat.parser()
        .merge(
            "{\"name\": \"kv\", \"type\": \"STATIC\", \"circuit_breakers\": "
                + circuitBreakers
                + "}",
            b);
    return ClusterTranslator.translate(b.build(), "clusters[0]").resourceLimits();
  }

  @Test
  void defaultsAreEnvoys() throws Exception {
    assertThat(limits("{}")).isEqualTo(ResourceLimitsConfig.DEFAULT);
    assertThat(ResourceLimitsConfig.DEFAULT.maxConnections()).isEqualTo(1024);
    assertThat(ResourceLimitsConfig.DEFAULT.maxPendingRequests()).isEqualTo(1024);
    assertThat(ResourceLimitsConfig.DEFAULT.maxRequests()).isEqualTo(1024);
    assertThat(ResourceLimitsConfig.DEFAULT.maxRetries()).isEqualTo(3);
  }

  @Test
  void readsTheDefaultPriorityThresholds() throws Exception {
    ResourceLimitsConfig c =
        limits(
            """
            {"thresholds": [{"max_connections": 5, "max_pending_requests": 6,
              "max_requests": 7, "max_retries": 8, "track_remaining": true,
              "retry_budget": {"budget_percent": {"value": 25.0}}}]}
            """);

    assertThat(c.maxConnections()).isEqualTo(5);
    assertThat(c.maxPendingRequests()).isEqualTo(6);
    assertThat(c.maxRequests()).isEqualTo(7);
    assertThat(c.maxRetries()).isEqualTo(8);
    assertThat(c.trackRemaining()).isTrue();
    assertThat(c.retryBudget().orElseThrow().budgetPercent()).isEqualTo(25.0);
    assertThat(c.retryBudget().orElseThrow().minRetryConcurrency()).isEqualTo(3);
  }

  @Test
  void refusesABudgetOverAHundredPercentNamingTheField() {
    assertThatThrownBy(
            () ->
                limits(
                    "{\"thresholds\": [{\"retry_budget\": {\"budget_percent\": {\"value\": 150}}}]}"))
        .hasMessage(
            "clusters[0].circuit_breakers.thresholds.retry_budget.budget_percent: 150.0"
                + " (expected: 0..100)");
  }
}
