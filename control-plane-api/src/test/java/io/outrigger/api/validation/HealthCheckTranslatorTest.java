package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.type.v3.CodecClientType;
import io.envoyproxy.envoy.type.v3.Int64Range;
import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.api.model.HealthCheckConfig.StatusRange;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckTranslatorTest {
  private static final String PATH = "static_resources.clusters[0]";
  private static final String HC = PATH + ".health_checks[0]";

  private static HealthCheck.Builder minimal() {
    return HealthCheck.newBuilder()
        .setTimeout(Protos.seconds(1, 0))
        .setInterval(Protos.seconds(5, 0))
        .setUnhealthyThreshold(UInt32Value.of(3))
        .setHealthyThreshold(UInt32Value.of(2))
        .setHttpHealthCheck(HealthCheck.HttpHealthCheck.newBuilder().setPath("/healthz"));
  }

  private static HealthCheckConfig translate(HealthCheck.Builder hc) throws ConfigException {
    return ClusterTranslator.translate(
            Protos.cluster("b", "10.0.0.1").addHealthChecks(hc).build(), PATH)
        .healthChecks()
        .get(0);
  }

  private static void assertRefused(HealthCheck.Builder hc, String message) {
    assertThatThrownBy(() -> translate(hc)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void fillsEnvoyDefaultsAroundTheRequiredFields() throws Exception {
    HealthCheckConfig hc = translate(minimal());

    assertThat(hc)
        .isEqualTo(
            HealthCheckConfig.of(
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                3,
                2,
                new HealthCheckConfig.HttpCheck(
                    "", "/healthz", "GET", List.of(new StatusRange(200, 201)), List.of())));
    assertThat(hc.noTrafficInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(hc.noTrafficHealthyInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(hc.unhealthyInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(hc.unhealthyEdgeInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(hc.healthyEdgeInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void readsIntervalsJitterAndHttpFields() throws Exception {
    HealthCheckConfig hc =
        translate(
            minimal()
                .setInitialJitter(Protos.seconds(0, 100_000_000))
                .setIntervalJitter(Protos.seconds(1, 0))
                .setIntervalJitterPercent(10)
                .setNoTrafficInterval(Protos.seconds(30, 0))
                .setUnhealthyInterval(Protos.seconds(7, 0))
                .setHealthyEdgeInterval(Protos.seconds(2, 0))
                .setReuseConnection(BoolValue.of(false))
                .setHttpHealthCheck(
                    HealthCheck.HttpHealthCheck.newBuilder()
                        .setPath("/ready")
                        .setHost("svc.local")
                        .setMethod(RequestMethod.HEAD)
                        .addExpectedStatuses(Int64Range.newBuilder().setStart(200).setEnd(300))
                        .addRetriableStatuses(Int64Range.newBuilder().setStart(503).setEnd(504))));

    assertThat(hc.initialJitter()).isEqualTo(Duration.ofMillis(100));
    assertThat(hc.intervalJitter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(hc.intervalJitterPercent()).isEqualTo(10);
    assertThat(hc.noTrafficInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(hc.noTrafficHealthyInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(hc.unhealthyInterval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(hc.unhealthyEdgeInterval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(hc.healthyEdgeInterval()).isEqualTo(Duration.ofSeconds(2));
    HealthCheckConfig.HttpCheck http = (HealthCheckConfig.HttpCheck) hc.checker();
    assertThat(http.host()).isEqualTo("svc.local");
    assertThat(http.method()).isEqualTo("HEAD");
    assertThat(http.expected(204)).isTrue();
    assertThat(http.expected(300)).isFalse();
    assertThat(http.retriable(503)).isTrue();
  }

  @Test
  void readsTcpCheck() throws Exception {
    HealthCheckConfig hc =
        translate(minimal().setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance()));

    assertThat(hc.checker()).isEqualTo(HealthCheckConfig.TcpCheck.INSTANCE);
  }

  @Test
  void requiresTimeoutIntervalThresholdsAndAChecker() {
    assertRefused(minimal().clearTimeout(), HC + ".timeout: required");
    assertRefused(minimal().clearInterval(), HC + ".interval: required");
    assertRefused(minimal().clearUnhealthyThreshold(), HC + ".unhealthy_threshold: required");
    assertRefused(minimal().clearHealthyThreshold(), HC + ".healthy_threshold: required");
    assertRefused(
        minimal().clearHttpHealthCheck(),
        HC + ": a health checker is required (expected: http_health_check or tcp_health_check)");
    assertRefused(
        minimal().setHttpHealthCheck(HealthCheck.HttpHealthCheck.getDefaultInstance()),
        HC + ".http_health_check.path: required");
  }

  @Test
  void refusesBadValuesNamingTheField() {
    assertRefused(minimal().setTimeout(Protos.seconds(0, 0)), HC + ".timeout: 0s (expected: > 0s)");
    assertRefused(
        minimal().setHealthyThreshold(UInt32Value.of(0)),
        HC + ".healthy_threshold: 0 (expected: >= 1)");
    assertRefused(
        minimal()
            .setHttpHealthCheck(
                HealthCheck.HttpHealthCheck.newBuilder()
                    .setPath("/h")
                    .addExpectedStatuses(Int64Range.newBuilder().setStart(200).setEnd(200))),
        HC
            + ".http_health_check.expected_statuses[0]: [200, 200) is not a status range"
            + " (expected: 100 <= start < end <= 600)");
    assertRefused(
        minimal().setReuseConnection(BoolValue.of(true)),
        HC
            + ".reuse_connection: true not supported: Outrigger opens a new connection for every"
            + " check (expected: false)");
  }

  @Test
  void refusesWhatItDoesNotDo() {
    assertRefused(
        minimal()
            .setTcpHealthCheck(
                HealthCheck.TcpHealthCheck.newBuilder()
                    .setSend(HealthCheck.Payload.newBuilder().setText("50494E47"))),
        HC
            + ".tcp_health_check.send: field not supported by Outrigger (see docs/configuration.md)");
    assertRefused(
        minimal()
            .setHttpHealthCheck(
                HealthCheck.HttpHealthCheck.newBuilder()
                    .setPath("/h")
                    .setCodecClientType(CodecClientType.HTTP2)),
        HC
            + ".http_health_check.codec_client_type: field not supported by Outrigger (see"
            + " docs/configuration.md)");
    assertRefused(
        minimal().setGrpcHealthCheck(HealthCheck.GrpcHealthCheck.getDefaultInstance()),
        HC + ".grpc_health_check: field not supported by Outrigger (see docs/configuration.md)");
    assertRefused(
        minimal().setEventLogPath("/tmp/hc.log"),
        HC + ".event_log_path: field not supported by Outrigger (see docs/configuration.md)");
  }

  @Test
  void refusesASecondHealthCheckAsEnvoyDoes() {
    assertThatThrownBy(
            () ->
                ClusterTranslator.translate(
                    Protos.cluster("b", "10.0.0.1")
                        .addHealthChecks(minimal())
                        .addHealthChecks(minimal())
                        .build(),
                    PATH))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            PATH
                + ".health_checks[1]: only one health check per cluster is supported, as in Envoy");
  }

  @Test
  void clusterWithoutHealthChecksStillTranslates() throws Exception {
    assertThat(
            ClusterTranslator.translate(Protos.cluster("b", "10.0.0.1").build(), PATH)
                .healthChecks())
        .isEmpty();
    assertThat(Cluster.getDescriptor().findFieldByName("health_checks")).isNotNull();
  }
}
