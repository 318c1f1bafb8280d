package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.type.v3.Int64Range;
import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.api.model.HealthCheckConfig.StatusRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a cluster's {@code health_checks} into {@link HealthCheckConfig}s: HTTP and TCP
 * checks, with Envoy's required fields required and its defaults filled.
 */
final class HealthCheckTranslator {
  private HealthCheckTranslator() {}

  /**
   * @param protos the cluster's {@code health_checks}, fields accepted by {@link
   *     SupportedFieldsCheck}
   * @param clusterPath where the cluster sits
   */
  static List<HealthCheckConfig> translate(List<HealthCheck> protos, String clusterPath)
      throws ConfigException {
    if (protos.size() > 1) {
      throw ConfigException.at(
          Paths.item(clusterPath, "health_checks", 1),
          "only one health check per cluster is supported, as in Envoy");
    }
    List<HealthCheckConfig> out = new ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      out.add(translate(protos.get(i), Paths.item(clusterPath, "health_checks", i)));
    }
    return out;
  }

  private static HealthCheckConfig translate(HealthCheck p, String path) throws ConfigException {
    Duration timeout = required(p.hasTimeout(), p.getTimeout(), path, "timeout");
    Duration interval = required(p.hasInterval(), p.getInterval(), path, "interval");
    if (!p.hasUnhealthyThreshold()) {
      throw ConfigException.at(Paths.field(path, "unhealthy_threshold"), "required");
    }
    if (!p.hasHealthyThreshold()) {
      throw ConfigException.at(Paths.field(path, "healthy_threshold"), "required");
    }
    if (p.hasReuseConnection() && p.getReuseConnection().getValue()) {
      throw ConfigException.at(
          Paths.field(path, "reuse_connection"),
          "true not supported: Outrigger opens a new connection for every check (expected:"
              + " false)");
    }
    Duration noTraffic =
        optional(p.hasNoTrafficInterval(), p.getNoTrafficInterval(), path, "no_traffic_interval")
            .orElse(HealthCheckConfig.DEFAULT_NO_TRAFFIC_INTERVAL);
    Duration unhealthyInterval =
        optional(p.hasUnhealthyInterval(), p.getUnhealthyInterval(), path, "unhealthy_interval")
            .orElse(interval);
    try {
      return new HealthCheckConfig(
          timeout,
          interval,
          jitter(p.hasInitialJitter(), p.getInitialJitter(), path, "initial_jitter"),
          jitter(p.hasIntervalJitter(), p.getIntervalJitter(), path, "interval_jitter"),
          (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(p.getIntervalJitterPercent())),
          OutlierDetectionTranslator.uint32(p.getUnhealthyThreshold(), path, "unhealthy_threshold"),
          OutlierDetectionTranslator.uint32(p.getHealthyThreshold(), path, "healthy_threshold"),
          noTraffic,
          optional(
                  p.hasNoTrafficHealthyInterval(),
                  p.getNoTrafficHealthyInterval(),
                  path,
                  "no_traffic_healthy_interval")
              .orElse(noTraffic),
          unhealthyInterval,
          optional(
                  p.hasUnhealthyEdgeInterval(),
                  p.getUnhealthyEdgeInterval(),
                  path,
                  "unhealthy_edge_interval")
              .orElse(unhealthyInterval),
          optional(
                  p.hasHealthyEdgeInterval(),
                  p.getHealthyEdgeInterval(),
                  path,
                  "healthy_edge_interval")
              .orElse(interval),
          checker(p, path));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static HealthCheckConfig.Checker checker(HealthCheck p, String path)
      throws ConfigException {
    return switch (p.getHealthCheckerCase()) {
      case HTTP_HEALTH_CHECK ->
          http(p.getHttpHealthCheck(), Paths.field(path, "http_health_check"));
      case TCP_HEALTH_CHECK -> HealthCheckConfig.TcpCheck.INSTANCE;
      default ->
          throw ConfigException.at(
              path,
              "a health checker is required (expected: http_health_check or tcp_health_check)");
    };
  }

  private static HealthCheckConfig.HttpCheck http(HealthCheck.HttpHealthCheck p, String path)
      throws ConfigException {
    if (p.getPath().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "path"), "required");
    }
    if (p.getMethod() == RequestMethod.CONNECT || p.getMethod() == RequestMethod.UNRECOGNIZED) {
      throw ConfigException.at(
          Paths.field(path, "method"), p.getMethod() + " not supported (as in Envoy)");
    }
    String method =
        p.getMethod() == RequestMethod.METHOD_UNSPECIFIED ? "GET" : p.getMethod().name();
    return new HealthCheckConfig.HttpCheck(
        p.getHost(),
        p.getPath(),
        method,
        ranges(p.getExpectedStatusesList(), Paths.field(path, "expected_statuses")),
        ranges(p.getRetriableStatusesList(), Paths.field(path, "retriable_statuses")));
  }

  private static List<StatusRange> ranges(List<Int64Range> protos, String path)
      throws ConfigException {
    List<StatusRange> out = new ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      Int64Range r = protos.get(i);
      try {
        out.add(new StatusRange(r.getStart(), r.getEnd()));
      } catch (IllegalArgumentException e) {
        throw ConfigException.at(path + "[" + i + "]", e.getMessage());
      }
    }
    return out;
  }

  private static Duration required(
      boolean has, com.google.protobuf.Duration d, String path, String field)
      throws ConfigException {
    if (!has) {
      throw ConfigException.at(Paths.field(path, field), "required");
    }
    return OutlierDetectionTranslator.positive(d, Paths.field(path, field));
  }

  private static java.util.Optional<Duration> optional(
      boolean has, com.google.protobuf.Duration d, String path, String field)
      throws ConfigException {
    return has
        ? java.util.Optional.of(OutlierDetectionTranslator.positive(d, Paths.field(path, field)))
        : java.util.Optional.empty();
  }

  private static Duration jitter(
      boolean has, com.google.protobuf.Duration d, String path, String field)
      throws ConfigException {
    return has ? ProtoValues.duration(d, Paths.field(path, field)) : Duration.ZERO;
  }
}
