package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Envoy's {@code cluster.v3.OutlierDetection}: when a cluster ejects a host that answers badly, and
 * for how long. Every field has Envoy's default; percentages are 0..100.
 *
 * <p>Consecutive-error detection ({@code consecutive_*}) fires on the attempt that reaches the
 * threshold; success-rate and failure-percentage detection run on every {@code interval} over the
 * requests of the interval that just ended. A detected outlier is ejected only when the matching
 * {@code enforcing_*} percentage draws so, and only while {@code max_ejection_percent} allows.
 *
 * @param interval between two sweeps (un-ejection, success rate, failure percentage); default 10 s
 * @param baseEjectionTime a host is ejected for this times the number of times it was ejected;
 *     default 30 s
 * @param maxEjectionTime the longest ejection; default the larger of 300 s and {@code
 *     baseEjectionTime}; at least {@code baseEjectionTime}
 * @param maxEjectionTimeJitter a random 0..jitter added to each ejection; default 0
 * @param maxEjectionPercent at most this share of the cluster's hosts is ejected at once; default
 *     10
 * @param alwaysEjectOneHost eject one host even when {@code maxEjectionPercent} would forbid it;
 *     default false
 * @param consecutive5xx 5xx answers in a row that make a host an outlier; default 5; 0 never
 * @param consecutiveGatewayFailure 502/503/504 answers (and, without split, connect failures and
 *     timeouts) in a row; default 5; 0 never
 * @param consecutiveLocalOriginFailure with split errors only: connect failures, timeouts and
 *     resets in a row; default 5; 0 never
 * @param enforcingConsecutive5xx default 100
 * @param enforcingConsecutiveGatewayFailure default 0 (detected, counted, not ejected)
 * @param enforcingConsecutiveLocalOriginFailure default 100
 * @param enforcingSuccessRate default 100
 * @param enforcingLocalOriginSuccessRate default 100
 * @param successRateMinimumHosts hosts with enough volume needed to compute a success rate; default
 *     5
 * @param successRateRequestVolume requests in an interval for a host to count; default 100
 * @param successRateStdevFactor thousandths: a host below {@code mean - factor/1000 * stdev} is an
 *     outlier; default 1900
 * @param failurePercentageThreshold a host failing at least this percentage is an outlier; default
 *     85
 * @param enforcingFailurePercentage default 0
 * @param enforcingFailurePercentageLocalOrigin default 0
 * @param failurePercentageMinimumHosts default 5
 * @param failurePercentageRequestVolume default 50
 * @param splitExternalLocalOriginErrors count local-origin failures (connect failure, timeout,
 *     reset) apart from the host's answers; default false, they count as gateway failures
 * @param successfulActiveHealthCheckUnejectHost a passing active health check returns an ejected
 *     host at once; default true
 */
public record OutlierDetectionConfig(
    Duration interval,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    Duration maxEjectionTimeJitter,
    int maxEjectionPercent,
    boolean alwaysEjectOneHost,
    int consecutive5xx,
    int consecutiveGatewayFailure,
    int consecutiveLocalOriginFailure,
    int enforcingConsecutive5xx,
    int enforcingConsecutiveGatewayFailure,
    int enforcingConsecutiveLocalOriginFailure,
    int enforcingSuccessRate,
    int enforcingLocalOriginSuccessRate,
    int successRateMinimumHosts,
    int successRateRequestVolume,
    int successRateStdevFactor,
    int failurePercentageThreshold,
    int enforcingFailurePercentage,
    int enforcingFailurePercentageLocalOrigin,
    int failurePercentageMinimumHosts,
    int failurePercentageRequestVolume,
    boolean splitExternalLocalOriginErrors,
    boolean successfulActiveHealthCheckUnejectHost) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
  public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;
  public static final int DEFAULT_CONSECUTIVE_5XX = 5;
  public static final int DEFAULT_CONSECUTIVE_GATEWAY_FAILURE = 5;
  public static final int DEFAULT_CONSECUTIVE_LOCAL_ORIGIN_FAILURE = 5;
  public static final int DEFAULT_ENFORCING_CONSECUTIVE_5XX = 100;
  public static final int DEFAULT_ENFORCING_CONSECUTIVE_GATEWAY_FAILURE = 0;
  public static final int DEFAULT_ENFORCING_CONSECUTIVE_LOCAL_ORIGIN_FAILURE = 100;
  public static final int DEFAULT_ENFORCING_SUCCESS_RATE = 100;
  public static final int DEFAULT_ENFORCING_LOCAL_ORIGIN_SUCCESS_RATE = 100;
  public static final int DEFAULT_SUCCESS_RATE_MINIMUM_HOSTS = 5;
  public static final int DEFAULT_SUCCESS_RATE_REQUEST_VOLUME = 100;
  public static final int DEFAULT_SUCCESS_RATE_STDEV_FACTOR = 1900;
  public static final int DEFAULT_FAILURE_PERCENTAGE_THRESHOLD = 85;
  public static final int DEFAULT_ENFORCING_FAILURE_PERCENTAGE = 0;
  public static final int DEFAULT_ENFORCING_FAILURE_PERCENTAGE_LOCAL_ORIGIN = 0;
  public static final int DEFAULT_FAILURE_PERCENTAGE_MINIMUM_HOSTS = 5;
  public static final int DEFAULT_FAILURE_PERCENTAGE_REQUEST_VOLUME = 50;

  /** {@code outlier_detection: {}}: every field at Envoy's default. */
  public static final OutlierDetectionConfig DEFAULT = builder().build();

  public OutlierDetectionConfig {
    positive("interval", requireNonNull(interval, "interval"));
    positive("base_ejection_time", requireNonNull(baseEjectionTime, "baseEjectionTime"));
    positive("max_ejection_time", requireNonNull(maxEjectionTime, "maxEjectionTime"));
    requireNonNull(maxEjectionTimeJitter, "maxEjectionTimeJitter");
    if (maxEjectionTimeJitter.isNegative()) {
      throw new IllegalArgumentException(
          "max_ejection_time_jitter: " + maxEjectionTimeJitter + " (expected: >= 0)");
    }
    if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException(
          "max_ejection_time: "
              + maxEjectionTime
              + " (expected: >= base_ejection_time "
              + baseEjectionTime
              + ")");
    }
    percent("max_ejection_percent", maxEjectionPercent);
    percent("enforcing_consecutive_5xx", enforcingConsecutive5xx);
    percent("enforcing_consecutive_gateway_failure", enforcingConsecutiveGatewayFailure);
    percent("enforcing_consecutive_local_origin_failure", enforcingConsecutiveLocalOriginFailure);
    percent("enforcing_success_rate", enforcingSuccessRate);
    percent("enforcing_local_origin_success_rate", enforcingLocalOriginSuccessRate);
    percent("failure_percentage_threshold", failurePercentageThreshold);
    percent("enforcing_failure_percentage", enforcingFailurePercentage);
    percent("enforcing_failure_percentage_local_origin", enforcingFailurePercentageLocalOrigin);
    nonNegative("consecutive_5xx", consecutive5xx);
    nonNegative("consecutive_gateway_failure", consecutiveGatewayFailure);
    nonNegative("consecutive_local_origin_failure", consecutiveLocalOriginFailure);
    nonNegative("success_rate_minimum_hosts", successRateMinimumHosts);
    nonNegative("success_rate_request_volume", successRateRequestVolume);
    nonNegative("success_rate_stdev_factor", successRateStdevFactor);
    nonNegative("failure_percentage_minimum_hosts", failurePercentageMinimumHosts);
    nonNegative("failure_percentage_request_volume", failurePercentageRequestVolume);
  }

  private static void positive(String field, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
    }
  }

  private static void percent(String field, int value) {
    if (value < 0 || value > 100) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: 0..100)");
    }
  }

  private static void nonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
    }
  }

  /** A builder starting from Envoy's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link OutlierDetectionConfig} from Envoy's defaults; every setter names its proto
   * field. {@code max_ejection_time}, when not set, is the larger of 300 s and the base ejection
   * time, as in Envoy.
   */
  public static final class Builder {
    private Duration interval = DEFAULT_INTERVAL;
    private Duration baseEjectionTime = DEFAULT_BASE_EJECTION_TIME;
    private Duration maxEjectionTime;
    private Duration maxEjectionTimeJitter = Duration.ZERO;
    private int maxEjectionPercent = DEFAULT_MAX_EJECTION_PERCENT;
    private boolean alwaysEjectOneHost;
    private int consecutive5xx = DEFAULT_CONSECUTIVE_5XX;
    private int consecutiveGatewayFailure = DEFAULT_CONSECUTIVE_GATEWAY_FAILURE;
    private int consecutiveLocalOriginFailure = DEFAULT_CONSECUTIVE_LOCAL_ORIGIN_FAILURE;
    private int enforcingConsecutive5xx = DEFAULT_ENFORCING_CONSECUTIVE_5XX;
    private int enforcingConsecutiveGatewayFailure = DEFAULT_ENFORCING_CONSECUTIVE_GATEWAY_FAILURE;
    private int enforcingConsecutiveLocalOriginFailure =
        DEFAULT_ENFORCING_CONSECUTIVE_LOCAL_ORIGIN_FAILURE;
    private int enforcingSuccessRate = DEFAULT_ENFORCING_SUCCESS_RATE;
    private int enforcingLocalOriginSuccessRate = DEFAULT_ENFORCING_LOCAL_ORIGIN_SUCCESS_RATE;
    private int successRateMinimumHosts = DEFAULT_SUCCESS_RATE_MINIMUM_HOSTS;
    private int successRateRequestVolume = DEFAULT_SUCCESS_RATE_REQUEST_VOLUME;
    private int successRateStdevFactor = DEFAULT_SUCCESS_RATE_STDEV_FACTOR;
    private int failurePercentageThreshold = DEFAULT_FAILURE_PERCENTAGE_THRESHOLD;
    private int enforcingFailurePercentage = DEFAULT_ENFORCING_FAILURE_PERCENTAGE;
    private int enforcingFailurePercentageLocalOrigin =
        DEFAULT_ENFORCING_FAILURE_PERCENTAGE_LOCAL_ORIGIN;
    private int failurePercentageMinimumHosts = DEFAULT_FAILURE_PERCENTAGE_MINIMUM_HOSTS;
    private int failurePercentageRequestVolume = DEFAULT_FAILURE_PERCENTAGE_REQUEST_VOLUME;
    private boolean splitExternalLocalOriginErrors;
    private boolean successfulActiveHealthCheckUnejectHost = true;

    private Builder() {}

    public Builder interval(Duration v) {
      interval = v;
      return this;
    }

    public Builder baseEjectionTime(Duration v) {
      baseEjectionTime = v;
      return this;
    }

    public Builder maxEjectionTime(Duration v) {
      maxEjectionTime = v;
      return this;
    }

    public Builder maxEjectionTimeJitter(Duration v) {
      maxEjectionTimeJitter = v;
      return this;
    }

    public Builder maxEjectionPercent(int v) {
      maxEjectionPercent = v;
      return this;
    }

    public Builder alwaysEjectOneHost(boolean v) {
      alwaysEjectOneHost = v;
      return this;
    }

    public Builder consecutive5xx(int v) {
      consecutive5xx = v;
      return this;
    }

    public Builder consecutiveGatewayFailure(int v) {
      consecutiveGatewayFailure = v;
      return this;
    }

    public Builder consecutiveLocalOriginFailure(int v) {
      consecutiveLocalOriginFailure = v;
      return this;
    }

    public Builder enforcingConsecutive5xx(int v) {
      enforcingConsecutive5xx = v;
      return this;
    }

    public Builder enforcingConsecutiveGatewayFailure(int v) {
      enforcingConsecutiveGatewayFailure = v;
      return this;
    }

    public Builder enforcingConsecutiveLocalOriginFailure(int v) {
      enforcingConsecutiveLocalOriginFailure = v;
      return this;
    }

    public Builder enforcingSuccessRate(int v) {
      enforcingSuccessRate = v;
      return this;
    }

    public Builder enforcingLocalOriginSuccessRate(int v) {
      enforcingLocalOriginSuccessRate = v;
      return this;
    }

    public Builder successRateMinimumHosts(int v) {
      successRateMinimumHosts = v;
      return this;
    }

    public Builder successRateRequestVolume(int v) {
      successRateRequestVolume = v;
      return this;
    }

    public Builder successRateStdevFactor(int v) {
      successRateStdevFactor = v;
      return this;
    }

    public Builder failurePercentageThreshold(int v) {
      failurePercentageThreshold = v;
      return this;
    }

    public Builder enforcingFailurePercentage(int v) {
      enforcingFailurePercentage = v;
      return this;
    }

    public Builder enforcingFailurePercentageLocalOrigin(int v) {
      enforcingFailurePercentageLocalOrigin = v;
      return this;
    }

    public Builder failurePercentageMinimumHosts(int v) {
      failurePercentageMinimumHosts = v;
      return this;
    }

    public Builder failurePercentageRequestVolume(int v) {
      failurePercentageRequestVolume = v;
      return this;
    }

    public Builder splitExternalLocalOriginErrors(boolean v) {
      splitExternalLocalOriginErrors = v;
      return this;
    }

    public Builder successfulActiveHealthCheckUnejectHost(boolean v) {
      successfulActiveHealthCheckUnejectHost = v;
      return this;
    }

    public OutlierDetectionConfig build() {
      Duration max = maxEjectionTime;
      if (max == null) {
        max =
            baseEjectionTime != null && baseEjectionTime.compareTo(DEFAULT_MAX_EJECTION_TIME) > 0
                ? baseEjectionTime
                : DEFAULT_MAX_EJECTION_TIME;
      }
      return new OutlierDetectionConfig(
          interval,
          baseEjectionTime,
          max,
          maxEjectionTimeJitter,
          maxEjectionPercent,
          alwaysEjectOneHost,
          consecutive5xx,
          consecutiveGatewayFailure,
          consecutiveLocalOriginFailure,
          enforcingConsecutive5xx,
          enforcingConsecutiveGatewayFailure,
          enforcingConsecutiveLocalOriginFailure,
          enforcingSuccessRate,
          enforcingLocalOriginSuccessRate,
          successRateMinimumHosts,
          successRateRequestVolume,
          successRateStdevFactor,
          failurePercentageThreshold,
          enforcingFailurePercentage,
          enforcingFailurePercentageLocalOrigin,
          failurePercentageMinimumHosts,
          failurePercentageRequestVolume,
          splitExternalLocalOriginErrors,
          successfulActiveHealthCheckUnejectHost);
    }
  }
}
