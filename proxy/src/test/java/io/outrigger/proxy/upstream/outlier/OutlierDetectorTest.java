package io.outrigger.proxy.upstream.outlier;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.OutlierDetectionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private static final Duration INTERVAL = OutlierDetectionConfig.DEFAULT_INTERVAL;

  @Test
  void ejectsHostAfterFiveConsecutive5xx() {
    DetectorFixture f = new DetectorFixture(10, OutlierDetectionConfig.DEFAULT);

    f.answers(0, 500, 4);
    assertThat(f.ejected(0)).isFalse();
    f.answers(0, 500, 1);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.cluster.healthyHosts().hosts()).hasSize(9).doesNotContain(f.host(0));
    assertThat(f.picked(100)).hasSize(9).doesNotContain(f.host(0));
    assertThat(f.stats.enforced("consecutive_5xx")).isEqualTo(1);
    assertThat(f.stats.ejectionsActive()).isEqualTo(1);
    assertThat(f.detector.ejectedHosts()).isEqualTo(1);
  }

  @Test
  void aSuccessResetsTheConsecutiveCount() {
    DetectorFixture f = new DetectorFixture(10, OutlierDetectionConfig.DEFAULT);

    f.answers(0, 500, 4);
    f.answers(0, 200, 1);
    f.answers(0, 500, 4);

    assertThat(f.ejected(0)).isFalse();
    assertThat(f.stats.detected("consecutive_5xx")).isZero();
  }

  @Test
  void ejectedHostComesBackOnTheSweepAfterBaseEjectionTime() {
    DetectorFixture f = new DetectorFixture(10, OutlierDetectionConfig.DEFAULT);
    f.answers(0, 500, 5);

    f.advance(Duration.ofSeconds(20));
    assertThat(f.ejected(0)).isTrue();
    f.advance(Duration.ofSeconds(10));

    assertThat(f.ejected(0)).isFalse();
    assertThat(f.picked(100)).contains(f.host(0));
    assertThat(f.stats.ejectionsActive()).isZero();
  }

  @Test
  void ejectionTimeGrowsWithEachEjectionUpToMaxEjectionTime() {
    DetectorFixture f =
        new DetectorFixture(
            10,
            OutlierDetectionConfig.builder()
                .baseEjectionTime(Duration.ofSeconds(10))
                .maxEjectionTime(Duration.ofSeconds(30))
                .build());

    List<Long> ejectedFor = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      f.answers(0, 500, 5);
      assertThat(f.ejected(0)).isTrue();
      long seconds = 0;
      while (f.ejected(0)) {
        f.advance(INTERVAL);
        seconds += INTERVAL.toSeconds();
      }
      ejectedFor.add(seconds);
    }

    assertThat(ejectedFor).containsExactly(10L, 20L, 30L, 30L, 30L);
    assertThat(f.stats.enforced("consecutive_5xx")).isEqualTo(5);
  }

  @Test
  void ejectionTimeShrinksAgainWhileTheHostStaysIn() {
    DetectorFixture f =
        new DetectorFixture(
            10,
            OutlierDetectionConfig.builder()
                .baseEjectionTime(Duration.ofSeconds(10))
                .maxEjectionTime(Duration.ofSeconds(30))
                .build());
    f.answers(0, 500, 5);
    f.advance(Duration.ofSeconds(10));
    f.answers(0, 500, 5); // second ejection: 20 s
    f.advance(Duration.ofSeconds(20));
    assertThat(f.ejected(0)).isFalse();

    // Two sweeps at least an interval after it came back: back-off 2 -> 0.
    f.advance(Duration.ofSeconds(20));
    f.answers(0, 500, 5);
    f.advance(Duration.ofSeconds(10));

    assertThat(f.ejected(0)).isFalse();
  }

  @Test
  void maxEjectionPercentStopsFurtherEjections() {
    DetectorFixture f =
        new DetectorFixture(10, OutlierDetectionConfig.builder().maxEjectionPercent(20).build());

    f.answers(0, 500, 5);
    f.answers(1, 500, 5);
    f.answers(2, 500, 5);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.ejected(1)).isTrue();
    assertThat(f.ejected(2)).isFalse();
    assertThat(f.stats.overflow()).isEqualTo(1);
    assertThat(f.stats.detected("consecutive_5xx")).isEqualTo(3);
    assertThat(f.stats.enforced("consecutive_5xx")).isEqualTo(2);
  }

  @Test
  void defaultMaxEjectionPercentEjectsNothingInAClusterOfFewerThanTenHostsAsInEnvoy() {
    DetectorFixture f = new DetectorFixture(3, OutlierDetectionConfig.DEFAULT);

    f.answers(0, 500, 5);

    assertThat(f.ejected(0)).isFalse();
    assertThat(f.stats.overflow()).isEqualTo(1);
  }

  @Test
  void alwaysEjectOneHostLetsTheFirstEjectionThrough() {
    DetectorFixture f =
        new DetectorFixture(3, OutlierDetectionConfig.builder().alwaysEjectOneHost(true).build());

    f.answers(0, 500, 5);
    f.answers(1, 500, 5);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.ejected(1)).isFalse();
    assertThat(f.stats.overflow()).isEqualTo(1);
  }

  @Test
  void enforcingZeroDetectsButDoesNotEject() {
    // consecutive_gateway_failure is detected by default but enforcing_consecutive_gateway_failure
    // is 0; consecutive_5xx is switched off so that only the gateway detection sees the 503s.
    DetectorFixture f =
        new DetectorFixture(10, OutlierDetectionConfig.builder().consecutive5xx(0).build());

    f.answers(0, 503, 5);

    assertThat(f.ejected(0)).isFalse();
    assertThat(f.stats.detected("consecutive_gateway_failure")).isEqualTo(1);
    assertThat(f.stats.enforced("consecutive_gateway_failure")).isZero();
  }

  @Test
  void enforcingPercentageIsDrawnFromTheInjectedRandom() {
    long seed = 7;
    DetectorFixture f =
        new DetectorFixture(
            10, OutlierDetectionConfig.builder().enforcingConsecutive5xx(50).build(), seed);
    SplittableRandom same = new SplittableRandom(seed);

    List<Boolean> expected = new ArrayList<>();
    List<Boolean> actual = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      expected.add(same.nextInt(100) < 50);
      f.answers(0, 500, 5);
      actual.add(f.ejected(0));
      while (f.ejected(0)) {
        f.advance(INTERVAL);
      }
    }

    assertThat(actual).isEqualTo(expected);
    assertThat(actual).contains(true, false);
  }

  @Test
  void localOriginFailuresCountAsGatewayFailuresWithoutSplit() {
    DetectorFixture f =
        new DetectorFixture(
            10,
            OutlierDetectionConfig.builder()
                .consecutive5xx(0)
                .enforcingConsecutiveGatewayFailure(100)
                .build());

    f.results(0, OutlierResult.LOCAL_ORIGIN_CONNECT_FAILED, 3);
    f.results(0, OutlierResult.LOCAL_ORIGIN_TIMEOUT, 2);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.stats.enforced("consecutive_gateway_failure")).isEqualTo(1);
  }

  @Test
  void connectSuccessAloneDoesNotResetTheCountWithoutSplit() {
    DetectorFixture f = new DetectorFixture(10, OutlierDetectionConfig.DEFAULT);

    for (int i = 0; i < 5; i++) {
      f.results(0, OutlierResult.LOCAL_ORIGIN_CONNECT_SUCCESS, 1);
      f.answers(0, 500, 1);
    }

    assertThat(f.ejected(0)).isTrue();
  }

  @Test
  void splitExternalLocalOriginErrorsCountsLocalFailuresApart() {
    DetectorFixture f =
        new DetectorFixture(
            10, OutlierDetectionConfig.builder().splitExternalLocalOriginErrors(true).build());

    f.answers(0, 500, 4);
    f.results(0, OutlierResult.LOCAL_ORIGIN_CONNECT_FAILED, 4);
    assertThat(f.ejected(0)).isFalse();
    f.results(0, OutlierResult.LOCAL_ORIGIN_TIMEOUT, 1);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.stats.enforced("consecutive_local_origin_failure")).isEqualTo(1);
    assertThat(f.stats.detected("consecutive_5xx")).isZero();
  }

  @Test
  void splitModeResetsLocalCountOnConnectSuccess() {
    DetectorFixture f =
        new DetectorFixture(
            10, OutlierDetectionConfig.builder().splitExternalLocalOriginErrors(true).build());

    f.results(0, OutlierResult.LOCAL_ORIGIN_CONNECT_FAILED, 4);
    f.results(0, OutlierResult.LOCAL_ORIGIN_CONNECT_SUCCESS, 1);
    f.results(0, OutlierResult.LOCAL_ORIGIN_CONNECT_FAILED, 4);

    assertThat(f.ejected(0)).isFalse();
  }

  /** Only success-rate detection: the consecutive detections would see the 5xx runs first. */
  private static OutlierDetectionConfig.Builder successRateOnly() {
    return OutlierDetectionConfig.builder().consecutive5xx(0).consecutiveGatewayFailure(0);
  }

  @Test
  void successRateEjectsOutlierBeyondStdevFactor() {
    DetectorFixture f = new DetectorFixture(5, successRateOnly().maxEjectionPercent(20).build());
    // Rates 50, 100, 100, 100, 100: mean 90, stdev 20, threshold 90 - 1.9 * 20 = 52.
    f.answers(0, 200, 50);
    f.answers(0, 503, 50);
    for (int i = 1; i < 5; i++) {
      f.answers(i, 200, 100);
    }
    assertThat(f.ejected(0)).isFalse();

    f.advance(INTERVAL);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.stats.enforced("success_rate")).isEqualTo(1);
    assertThat(f.host(0).outlier().successRate()).isEqualTo(50.0);
    assertThat(f.host(1).outlier().successRate()).isEqualTo(100.0);
  }

  @Test
  void successRateLeavesHostsWithinTheStdevFactorAndHostsBelowTheVolume() {
    DetectorFixture f = new DetectorFixture(5, successRateOnly().maxEjectionPercent(100).build());
    // Rates 97, 98, 99, 100, 100: threshold 98.8 - 1.9 * 1.166 = 96.6.
    int[] failures = {3, 2, 1, 0, 0};
    for (int i = 0; i < 5; i++) {
      f.answers(i, 500, failures[i]);
      f.answers(i, 200, 100 - failures[i]);
    }
    f.advance(INTERVAL);
    assertThat(f.stats.detected("success_rate")).isZero();

    // 99 requests: below success_rate_request_volume (100), not counted even at 0 %.
    f.answers(0, 200, 1);
    f.answers(0, 404, 98);
    for (int i = 1; i < 5; i++) {
      f.answers(i, 200, 100);
    }
    f.advance(INTERVAL);
    assertThat(f.stats.detected("success_rate")).isZero();
  }

  @Test
  void successRateNeedsMinimumHosts() {
    DetectorFixture f = new DetectorFixture(4, successRateOnly().maxEjectionPercent(100).build());
    f.answers(0, 500, 100);
    for (int i = 1; i < 4; i++) {
      f.answers(i, 200, 100);
    }

    f.advance(INTERVAL);

    assertThat(f.ejected(0)).isFalse();
    assertThat(f.stats.detected("success_rate")).isZero();
  }

  @Test
  void failurePercentageEjectsHostAboveThreshold() {
    DetectorFixture f =
        new DetectorFixture(
            5,
            OutlierDetectionConfig.builder()
                .maxEjectionPercent(100)
                .enforcingFailurePercentage(100)
                .successRateMinimumHosts(100) // success-rate detection off
                .consecutive5xx(0)
                .consecutiveGatewayFailure(0)
                .build());
    f.answers(0, 200, 5);
    f.answers(0, 500, 45); // 90 % failures
    f.answers(1, 200, 10);
    f.answers(1, 500, 40); // 80 % failures, below 85
    for (int i = 2; i < 5; i++) {
      f.answers(i, 200, 50);
    }

    f.advance(INTERVAL);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.ejected(1)).isFalse();
    assertThat(f.stats.enforced("failure_percentage")).isEqualTo(1);
  }

  @Test
  void failurePercentageIsNotEnforcedByDefault() {
    DetectorFixture f =
        new DetectorFixture(
            5,
            OutlierDetectionConfig.builder()
                .maxEjectionPercent(100)
                .successRateMinimumHosts(100)
                .consecutive5xx(0)
                .consecutiveGatewayFailure(0)
                .build());
    f.answers(0, 500, 50);
    for (int i = 1; i < 5; i++) {
      f.answers(i, 200, 50);
    }

    f.advance(INTERVAL);

    assertThat(f.ejected(0)).isFalse();
    assertThat(f.stats.detected("failure_percentage")).isEqualTo(1);
  }

  @Test
  void localOriginFailurePercentageWithSplitErrors() {
    DetectorFixture f =
        new DetectorFixture(
            5,
            OutlierDetectionConfig.builder()
                .splitExternalLocalOriginErrors(true)
                .maxEjectionPercent(100)
                .enforcingFailurePercentageLocalOrigin(100)
                .successRateMinimumHosts(100)
                .consecutiveLocalOriginFailure(0)
                .build());
    f.results(0, OutlierResult.LOCAL_ORIGIN_CONNECT_FAILED, 50);
    for (int i = 1; i < 5; i++) {
      f.results(i, OutlierResult.LOCAL_ORIGIN_CONNECT_SUCCESS, 50);
    }

    f.advance(INTERVAL);

    assertThat(f.ejected(0)).isTrue();
    assertThat(f.stats.enforced("local_origin_failure_percentage")).isEqualTo(1);
    assertThat(f.host(0).outlier().localOriginSuccessRate()).isZero();
  }

  @Test
  void aPassingActiveHealthCheckBringsAnEjectedHostBack() {
    DetectorFixture f = new DetectorFixture(10, OutlierDetectionConfig.DEFAULT);
    f.answers(0, 500, 5);

    f.detector.onHostCheckComplete(f.host(0), false);
    assertThat(f.ejected(0)).isTrue();
    f.detector.onHostCheckComplete(f.host(0), true);

    assertThat(f.ejected(0)).isFalse();
    assertThat(f.cluster.healthyHosts().hosts()).hasSize(10);
  }

  @Test
  void aRemovedHostNoLongerCountsAsEjected() {
    DetectorFixture f = new DetectorFixture(10, OutlierDetectionConfig.DEFAULT);
    f.answers(9, 500, 5);
    assertThat(f.stats.ejectionsActive()).isEqualTo(1);

    f.cluster.updateHosts(
        f.cluster.hosts().hosts().subList(0, 9).stream()
            .map(
                h ->
                    new io.outrigger.proxy.upstream.Cluster.ResolvedEndpoint(
                        h.address(), h.hostname(), 1))
            .toList());

    assertThat(f.stats.ejectionsActive()).isZero();
    assertThat(f.cluster.hosts().hosts()).hasSize(9);
  }

  @Test
  void closeStopsTheSweep() {
    DetectorFixture f = new DetectorFixture(10, OutlierDetectionConfig.DEFAULT);
    assertThat(f.scheduler.pendingTimers()).isEqualTo(1);

    f.detector.close();

    assertThat(f.scheduler.pendingTimers()).isZero();
  }
}
