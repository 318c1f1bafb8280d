package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.type.v3.Percent;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.OutlierDetectionConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutlierDetectionTranslatorTest {
  private static final String PATH = "static_resources.clusters[0]";

  private static ClusterConfig translate(Cluster.Builder proto) throws ConfigException {
    return ClusterTranslator.translate(proto.build(), PATH);
  }

  private static Cluster.Builder withOutlier(OutlierDetection.Builder od) {
    return Protos.cluster("b", "10.0.0.1").setOutlierDetection(od);
  }

  private static void assertRefused(Cluster.Builder proto, String message) {
    assertThatThrownBy(() -> translate(proto))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void noOutlierDetectionAndPanicThresholdFiftyByDefault() throws Exception {
    ClusterConfig c = translate(Protos.cluster("b", "10.0.0.1"));

    assertThat(c.outlierDetection()).isEmpty();
    assertThat(c.healthChecks()).isEmpty();
    assertThat(c.healthyPanicThresholdPercent()).isEqualTo(50.0);
  }

  @Test
  void emptyOutlierDetectionHasEveryEnvoyDefault() throws Exception {
    OutlierDetectionConfig od =
        translate(withOutlier(OutlierDetection.newBuilder())).outlierDetection().orElseThrow();

    assertThat(od).isEqualTo(OutlierDetectionConfig.DEFAULT);
    assertThat(od.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(od.baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(od.maxEjectionTime()).isEqualTo(Duration.ofSeconds(300));
    assertThat(od.maxEjectionTimeJitter()).isZero();
    assertThat(od.maxEjectionPercent()).isEqualTo(10);
    assertThat(od.consecutive5xx()).isEqualTo(5);
    assertThat(od.consecutiveGatewayFailure()).isEqualTo(5);
    assertThat(od.consecutiveLocalOriginFailure()).isEqualTo(5);
    assertThat(od.enforcingConsecutive5xx()).isEqualTo(100);
    assertThat(od.enforcingConsecutiveGatewayFailure()).isZero();
    assertThat(od.enforcingConsecutiveLocalOriginFailure()).isEqualTo(100);
    assertThat(od.enforcingSuccessRate()).isEqualTo(100);
    assertThat(od.enforcingLocalOriginSuccessRate()).isEqualTo(100);
    assertThat(od.successRateMinimumHosts()).isEqualTo(5);
    assertThat(od.successRateRequestVolume()).isEqualTo(100);
    assertThat(od.successRateStdevFactor()).isEqualTo(1900);
    assertThat(od.failurePercentageThreshold()).isEqualTo(85);
    assertThat(od.enforcingFailurePercentage()).isZero();
    assertThat(od.enforcingFailurePercentageLocalOrigin()).isZero();
    assertThat(od.failurePercentageMinimumHosts()).isEqualTo(5);
    assertThat(od.failurePercentageRequestVolume()).isEqualTo(50);
    assertThat(od.splitExternalLocalOriginErrors()).isFalse();
    assertThat(od.alwaysEjectOneHost()).isFalse();
    assertThat(od.successfulActiveHealthCheckUnejectHost()).isTrue();
  }

  @Test
  void readsEveryField() throws Exception {
    OutlierDetectionConfig od =
        translate(
                withOutlier(
                    OutlierDetection.newBuilder()
                        .setInterval(Protos.seconds(1, 0))
                        .setBaseEjectionTime(Protos.seconds(2, 0))
                        .setMaxEjectionTime(Protos.seconds(20, 0))
                        .setMaxEjectionTimeJitter(Protos.seconds(0, 500_000_000))
                        .setMaxEjectionPercent(UInt32Value.of(50))
                        .setAlwaysEjectOneHost(BoolValue.of(true))
                        .setConsecutive5Xx(UInt32Value.of(3))
                        .setConsecutiveGatewayFailure(UInt32Value.of(4))
                        .setConsecutiveLocalOriginFailure(UInt32Value.of(6))
                        .setSplitExternalLocalOriginErrors(true)
                        .setEnforcingConsecutive5Xx(UInt32Value.of(90))
                        .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(80))
                        .setEnforcingConsecutiveLocalOriginFailure(UInt32Value.of(70))
                        .setEnforcingSuccessRate(UInt32Value.of(60))
                        .setEnforcingLocalOriginSuccessRate(UInt32Value.of(50))
                        .setSuccessRateMinimumHosts(UInt32Value.of(2))
                        .setSuccessRateRequestVolume(UInt32Value.of(10))
                        .setSuccessRateStdevFactor(UInt32Value.of(1000))
                        .setFailurePercentageThreshold(UInt32Value.of(40))
                        .setEnforcingFailurePercentage(UInt32Value.of(30))
                        .setEnforcingFailurePercentageLocalOrigin(UInt32Value.of(20))
                        .setFailurePercentageMinimumHosts(UInt32Value.of(3))
                        .setFailurePercentageRequestVolume(UInt32Value.of(7))
                        .setSuccessfulActiveHealthCheckUnejectHost(BoolValue.of(false))))
            .outlierDetection()
            .orElseThrow();

    assertThat(od)
        .isEqualTo(
            new OutlierDetectionConfig(
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(20),
                Duration.ofMillis(500),
                50,
                true,
                3,
                4,
                6,
                90,
                80,
                70,
                60,
                50,
                2,
                10,
                1000,
                40,
                30,
                20,
                3,
                7,
                true,
                false));
  }

  @Test
  void maxEjectionTimeDefaultsToBaseEjectionTimeWhenThatIsLonger() throws Exception {
    OutlierDetectionConfig od =
        translate(
                withOutlier(
                    OutlierDetection.newBuilder().setBaseEjectionTime(Protos.seconds(600, 0))))
            .outlierDetection()
            .orElseThrow();

    assertThat(od.maxEjectionTime()).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void refusesPercentagesAbove100NamingTheField() {
    assertRefused(
        withOutlier(OutlierDetection.newBuilder().setMaxEjectionPercent(UInt32Value.of(120))),
        PATH + ".outlier_detection.max_ejection_percent: 120 (expected: 0..100)");
    assertRefused(
        withOutlier(OutlierDetection.newBuilder().setEnforcingSuccessRate(UInt32Value.of(101))),
        PATH + ".outlier_detection.enforcing_success_rate: 101 (expected: 0..100)");
    assertRefused(
        withOutlier(
            OutlierDetection.newBuilder().setFailurePercentageThreshold(UInt32Value.of(200))),
        PATH + ".outlier_detection.failure_percentage_threshold: 200 (expected: 0..100)");
  }

  @Test
  void refusesZeroDurationsAndMaxBelowBase() {
    assertRefused(
        withOutlier(OutlierDetection.newBuilder().setInterval(Protos.seconds(0, 0))),
        PATH + ".outlier_detection.interval: 0s (expected: > 0s)");
    assertRefused(
        withOutlier(OutlierDetection.newBuilder().setMaxEjectionTime(Protos.seconds(10, 0))),
        PATH + ".outlier_detection.max_ejection_time: 10s (expected: >= base_ejection_time, 30s)");
  }

  @Test
  void refusesExtensionMonitors() {
    assertRefused(
        withOutlier(
            OutlierDetection.newBuilder()
                .addMonitors(
                    io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig.newBuilder()
                        .setName("m"))),
        PATH
            + ".outlier_detection.monitors: field not supported by Outrigger (see"
            + " docs/configuration.md)");
  }

  @Test
  void readsHealthyPanicThresholdAndRefusesOtherCommonLbFields() throws Exception {
    assertThat(
            translate(
                    Protos.cluster("b", "10.0.0.1")
                        .setCommonLbConfig(
                            Cluster.CommonLbConfig.newBuilder()
                                .setHealthyPanicThreshold(Percent.newBuilder().setValue(25.5))))
                .healthyPanicThresholdPercent())
        .isEqualTo(25.5);
    assertThat(
            translate(
                    Protos.cluster("b", "10.0.0.1")
                        .setCommonLbConfig(
                            Cluster.CommonLbConfig.newBuilder()
                                .setHealthyPanicThreshold(Percent.getDefaultInstance())))
                .healthyPanicThresholdPercent())
        .isZero();
    assertRefused(
        Protos.cluster("b", "10.0.0.1")
            .setCommonLbConfig(
                Cluster.CommonLbConfig.newBuilder()
                    .setHealthyPanicThreshold(Percent.newBuilder().setValue(150))),
        PATH + ".common_lb_config.healthy_panic_threshold.value: 150.0 (expected: 0..100)");
    assertRefused(
        Protos.cluster("b", "10.0.0.1")
            .setCommonLbConfig(
                Cluster.CommonLbConfig.newBuilder().setIgnoreNewHostsUntilFirstHc(true)),
        PATH
            + ".common_lb_config.ignore_new_hosts_until_first_hc: field not supported by Outrigger"
            + " (see docs/configuration.md)");
  }
}
