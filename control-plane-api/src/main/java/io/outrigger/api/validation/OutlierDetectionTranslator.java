package io.outrigger.api.validation;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.outrigger.api.model.OutlierDetectionConfig;
import java.time.Duration;

/**
 * Translates a cluster's {@code outlier_detection} into {@link OutlierDetectionConfig}, Envoy's
 * defaults filled for every field left out. Ranges are checked by the record; this class puts its
 * messages at the right path.
 */
final class OutlierDetectionTranslator {
  private OutlierDetectionTranslator() {}

  /**
   * @param proto a message whose fields {@link SupportedFieldsCheck} has accepted
   * @param path where it sits, e.g. {@code static_resources.clusters[0].outlier_detection}
   */
  static OutlierDetectionConfig translate(OutlierDetection proto, String path)
      throws ConfigException {
    OutlierDetectionConfig.Builder b = OutlierDetectionConfig.builder();
    if (proto.hasInterval()) {
      b.interval(positive(proto.getInterval(), Paths.field(path, "interval")));
    }
    if (proto.hasBaseEjectionTime()) {
      b.baseEjectionTime(
          positive(proto.getBaseEjectionTime(), Paths.field(path, "base_ejection_time")));
    }
    if (proto.hasMaxEjectionTime()) {
      String maxPath = Paths.field(path, "max_ejection_time");
      Duration max = positive(proto.getMaxEjectionTime(), maxPath);
      Duration base =
          proto.hasBaseEjectionTime()
              ? ProtoValues.duration(proto.getBaseEjectionTime(), path)
              : OutlierDetectionConfig.DEFAULT_BASE_EJECTION_TIME;
      if (max.compareTo(base) < 0) {
        throw ConfigException.at(
            maxPath,
            ProtoValues.format(max)
                + " (expected: >= base_ejection_time, "
                + ProtoValues.format(base)
                + ")");
      }
      b.maxEjectionTime(max);
    }
    if (proto.hasMaxEjectionTimeJitter()) {
      b.maxEjectionTimeJitter(
          ProtoValues.duration(
              proto.getMaxEjectionTimeJitter(), Paths.field(path, "max_ejection_time_jitter")));
    }
    if (proto.hasAlwaysEjectOneHost()) {
      b.alwaysEjectOneHost(proto.getAlwaysEjectOneHost().getValue());
    }
    if (proto.hasSuccessfulActiveHealthCheckUnejectHost()) {
      b.successfulActiveHealthCheckUnejectHost(
          proto.getSuccessfulActiveHealthCheckUnejectHost().getValue());
    }
    b.splitExternalLocalOriginErrors(proto.getSplitExternalLocalOriginErrors());
    counts(proto, path, b);
    percentages(proto, path, b);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static void counts(OutlierDetection p, String path, OutlierDetectionConfig.Builder b)
      throws ConfigException {
    if (p.hasConsecutive5Xx()) {
      b.consecutive5xx(uint32(p.getConsecutive5Xx(), path, "consecutive_5xx"));
    }
    if (p.hasConsecutiveGatewayFailure()) {
      b.consecutiveGatewayFailure(
          uint32(p.getConsecutiveGatewayFailure(), path, "consecutive_gateway_failure"));
    }
    if (p.hasConsecutiveLocalOriginFailure()) {
      b.consecutiveLocalOriginFailure(
          uint32(p.getConsecutiveLocalOriginFailure(), path, "consecutive_local_origin_failure"));
    }
    if (p.hasSuccessRateMinimumHosts()) {
      b.successRateMinimumHosts(
          uint32(p.getSuccessRateMinimumHosts(), path, "success_rate_minimum_hosts"));
    }
    if (p.hasSuccessRateRequestVolume()) {
      b.successRateRequestVolume(
          uint32(p.getSuccessRateRequestVolume(), path, "success_rate_request_volume"));
    }
    if (p.hasSuccessRateStdevFactor()) {
      b.successRateStdevFactor(
          uint32(p.getSuccessRateStdevFactor(), path, "success_rate_stdev_factor"));
    }
    if (p.hasFailurePercentageMinimumHosts()) {
      b.failurePercentageMinimumHosts(
          uint32(p.getFailurePercentageMinimumHosts(), path, "failure_percentage_minimum_hosts"));
    }
    if (p.hasFailurePercentageRequestVolume()) {
      b.failurePercentageRequestVolume(
          uint32(p.getFailurePercentageRequestVolume(), path, "failure_percentage_request_volume"));
    }
  }

  private static void percentages(OutlierDetection p, String path, OutlierDetectionConfig.Builder b)
      throws ConfigException {
    if (p.hasMaxEjectionPercent()) {
      b.maxEjectionPercent(uint32(p.getMaxEjectionPercent(), path, "max_ejection_percent"));
    }
    if (p.hasFailurePercentageThreshold()) {
      b.failurePercentageThreshold(
          uint32(p.getFailurePercentageThreshold(), path, "failure_percentage_threshold"));
    }
    if (p.hasEnforcingConsecutive5Xx()) {
      b.enforcingConsecutive5xx(
          uint32(p.getEnforcingConsecutive5Xx(), path, "enforcing_consecutive_5xx"));
    }
    if (p.hasEnforcingConsecutiveGatewayFailure()) {
      b.enforcingConsecutiveGatewayFailure(
          uint32(
              p.getEnforcingConsecutiveGatewayFailure(),
              path,
              "enforcing_consecutive_gateway_failure"));
    }
    if (p.hasEnforcingConsecutiveLocalOriginFailure()) {
      b.enforcingConsecutiveLocalOriginFailure(
          uint32(
              p.getEnforcingConsecutiveLocalOriginFailure(),
              path,
              "enforcing_consecutive_local_origin_failure"));
    }
    if (p.hasEnforcingSuccessRate()) {
      b.enforcingSuccessRate(uint32(p.getEnforcingSuccessRate(), path, "enforcing_success_rate"));
    }
    if (p.hasEnforcingLocalOriginSuccessRate()) {
      b.enforcingLocalOriginSuccessRate(
          uint32(
              p.getEnforcingLocalOriginSuccessRate(), path, "enforcing_local_origin_success_rate"));
    }
    if (p.hasEnforcingFailurePercentage()) {
      b.enforcingFailurePercentage(
          uint32(p.getEnforcingFailurePercentage(), path, "enforcing_failure_percentage"));
    }
    if (p.hasEnforcingFailurePercentageLocalOrigin()) {
      b.enforcingFailurePercentageLocalOrigin(
          uint32(
              p.getEnforcingFailurePercentageLocalOrigin(),
              path,
              "enforcing_failure_percentage_local_origin"));
    }
  }

  /** A {@code UInt32Value} as a Java int; values above {@code Integer.MAX_VALUE} are refused. */
  static int uint32(UInt32Value v, String path, String field) throws ConfigException {
    long value = Integer.toUnsignedLong(v.getValue());
    if (value > Integer.MAX_VALUE) {
      throw ConfigException.at(
          Paths.field(path, field), value + " (expected: 0.." + Integer.MAX_VALUE + ")");
    }
    return (int) value;
  }

  /** A duration that must be greater than zero, as Envoy's proto validation requires. */
  static Duration positive(com.google.protobuf.Duration d, String path) throws ConfigException {
    Duration value = ProtoValues.duration(d, path);
    if (value.isZero()) {
      throw ConfigException.at(path, "0s (expected: > 0s)");
    }
    return value;
  }
}
