package io.outrigger.proxy.upstream.outlier;

import io.outrigger.api.model.OutlierDetectionConfig;
import io.outrigger.proxy.upstream.HealthFlag;
import java.util.ArrayList;
import java.util.List;

/**
 * Success-rate and failure-percentage detection over the interval that just ended (Envoy's {@code
 * processSuccessRateEjections}), as a pure function of the hosts' buckets; the detector ejects what
 * it returns. Runs on the detector's thread.
 *
 * <p>Only hosts that are not ejected and had at least the request volume take part; success-rate
 * detection needs {@code success_rate_minimum_hosts} of them and flags hosts below {@code mean -
 * stdev_factor / 1000 * stdev}; failure-percentage detection needs {@code
 * failure_percentage_minimum_hosts} and flags hosts failing at least {@code
 * failure_percentage_threshold} percent.
 */
final class SuccessRateDetection {
  /** A host found to be an outlier, and why. */
  record Outlier(HostOutlierMonitor monitor, EjectionType type) {}

  private final OutlierDetectionConfig config;

  SuccessRateDetection(OutlierDetectionConfig config) {
    this.config = config;
  }

  /**
   * @param localOrigin false: the hosts' answers; true: local-origin results (only counted with
   *     split errors)
   */
  List<Outlier> find(List<HostOutlierMonitor> monitors, boolean localOrigin) {
    int hosts = monitors.size();
    List<Outlier> out = new ArrayList<>();
    if (hosts < config.successRateMinimumHosts()
        && hosts < config.failurePercentageMinimumHosts()) {
      return out;
    }
    long srVolume = config.successRateRequestVolume();
    long fpVolume = config.failurePercentageRequestVolume();
    List<HostOutlierMonitor> srHosts = new ArrayList<>();
    List<HostOutlierMonitor> fpHosts = new ArrayList<>();
    double sum = 0;
    for (HostOutlierMonitor m : monitors) {
      if (m.host().healthFlag(HealthFlag.FAILED_OUTLIER_CHECK)) {
        continue;
      }
      SuccessRateBuckets b = localOrigin ? m.localOrigin : m.external;
      long volume = b.volume();
      if (volume == 0) {
        continue;
      }
      double rate = b.successRate();
      if (volume >= Math.min(srVolume, fpVolume)) {
        if (localOrigin) {
          m.localOriginSuccessRate = rate;
        } else {
          m.successRate = rate;
        }
      }
      if (volume >= srVolume) {
        srHosts.add(m);
        sum += rate;
      }
      if (volume >= fpVolume) {
        fpHosts.add(m);
      }
    }
    if (!srHosts.isEmpty() && srHosts.size() >= config.successRateMinimumHosts()) {
      double threshold = threshold(srHosts, sum, localOrigin);
      for (HostOutlierMonitor m : srHosts) {
        if (rate(m, localOrigin) < threshold) {
          out.add(
              new Outlier(
                  m,
                  localOrigin
                      ? EjectionType.SUCCESS_RATE_LOCAL_ORIGIN
                      : EjectionType.SUCCESS_RATE));
        }
      }
    }
    if (!fpHosts.isEmpty() && fpHosts.size() >= config.failurePercentageMinimumHosts()) {
      for (HostOutlierMonitor m : fpHosts) {
        if (100.0 - rate(m, localOrigin) >= config.failurePercentageThreshold()) {
          out.add(
              new Outlier(
                  m,
                  localOrigin
                      ? EjectionType.FAILURE_PERCENTAGE_LOCAL_ORIGIN
                      : EjectionType.FAILURE_PERCENTAGE));
        }
      }
    }
    return out;
  }

  /** {@code mean - factor * stdev} over the hosts' rates (population standard deviation). */
  private double threshold(List<HostOutlierMonitor> hosts, double sum, boolean localOrigin) {
    double mean = sum / hosts.size();
    double variance = 0;
    for (HostOutlierMonitor m : hosts) {
      double d = rate(m, localOrigin) - mean;
      variance += d * d;
    }
    variance /= hosts.size();
    return mean - config.successRateStdevFactor() / 1000.0 * Math.sqrt(variance);
  }

  private static double rate(HostOutlierMonitor m, boolean localOrigin) {
    return (localOrigin ? m.localOrigin : m.external).successRate();
  }
}
