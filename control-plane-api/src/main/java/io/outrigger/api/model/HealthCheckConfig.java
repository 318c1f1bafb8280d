package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Envoy's {@code core.v3.HealthCheck}: how a cluster actively checks each of its hosts.
 *
 * <p>A host starts as failing until its first check passes (one pass is enough the first time);
 * after that it turns unhealthy after {@code unhealthyThreshold} failures in a row (at once when an
 * HTTP check answers a status that is neither expected nor retriable) and healthy again after
 * {@code healthyThreshold} passes in a row.
 *
 * @param timeout how long one check may take; required, > 0
 * @param interval between checks of a host; required, > 0
 * @param initialJitter a random 0..jitter before a host's first check; default 0
 * @param intervalJitter a random 0..jitter added to every interval; default 0
 * @param intervalJitterPercent a random 0..percent of the interval added to it; default 0
 * @param unhealthyThreshold failures in a row that make a healthy host unhealthy; required, >= 1
 * @param healthyThreshold passes in a row that make an unhealthy host healthy; required, >= 1
 * @param noTrafficInterval the interval while the cluster has carried no traffic; default 60 s
 * @param noTrafficHealthyInterval the same, for a healthy host; default {@code noTrafficInterval}
 * @param unhealthyInterval the interval of an unhealthy host; default {@code interval}
 * @param unhealthyEdgeInterval after the first failures of a healthy host, until it turns
 *     unhealthy; default {@code unhealthyInterval}
 * @param healthyEdgeInterval after the first passes of an unhealthy host, until it turns healthy;
 *     default {@code interval}
 * @param checker what a check does: an HTTP request or a TCP connect
 */
public record HealthCheckConfig(
    Duration timeout,
    Duration interval,
    Duration initialJitter,
    Duration intervalJitter,
    int intervalJitterPercent,
    int unhealthyThreshold,
    int healthyThreshold,
    Duration noTrafficInterval,
    Duration noTrafficHealthyInterval,
    Duration unhealthyInterval,
    Duration unhealthyEdgeInterval,
    Duration healthyEdgeInterval,
    Checker checker) {

  public static final Duration DEFAULT_NO_TRAFFIC_INTERVAL = Duration.ofSeconds(60);

  public HealthCheckConfig {
    positive("timeout", timeout);
    positive("interval", interval);
    nonNegative("initial_jitter", initialJitter);
    nonNegative("interval_jitter", intervalJitter);
    positive("no_traffic_interval", noTrafficInterval);
    positive("no_traffic_healthy_interval", noTrafficHealthyInterval);
    positive("unhealthy_interval", unhealthyInterval);
    positive("unhealthy_edge_interval", unhealthyEdgeInterval);
    positive("healthy_edge_interval", healthyEdgeInterval);
    if (intervalJitterPercent < 0) {
      throw new IllegalArgumentException(
          "interval_jitter_percent: " + intervalJitterPercent + " (expected: >= 0)");
    }
    if (unhealthyThreshold < 1) {
      throw new IllegalArgumentException(
          "unhealthy_threshold: " + unhealthyThreshold + " (expected: >= 1)");
    }
    if (healthyThreshold < 1) {
      throw new IllegalArgumentException(
          "healthy_threshold: " + healthyThreshold + " (expected: >= 1)");
    }
    requireNonNull(checker, "checker");
  }

  /**
   * A check with Envoy's defaults for everything but the four required fields: no jitter, {@code
   * no_traffic_interval} 60 s, and the unhealthy and edge intervals equal to {@code interval}.
   */
  public static HealthCheckConfig of(
      Duration timeout,
      Duration interval,
      int unhealthyThreshold,
      int healthyThreshold,
      Checker checker) {
    return new HealthCheckConfig(
        timeout,
        interval,
        Duration.ZERO,
        Duration.ZERO,
        0,
        unhealthyThreshold,
        healthyThreshold,
        DEFAULT_NO_TRAFFIC_INTERVAL,
        DEFAULT_NO_TRAFFIC_INTERVAL,
        interval,
        interval,
        interval,
        checker);
  }

  private static void positive(String field, Duration d) {
    requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
    }
  }

  private static void nonNegative(String field, Duration d) {
    requireNonNull(d, field);
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: >= 0)");
    }
  }

  /** What one check does. */
  public sealed interface Checker permits HttpCheck, TcpCheck {}

  /**
   * {@code http_health_check}: an HTTP/1.1 request on a new connection; the check passes when the
   * status is in {@code expectedStatuses}.
   *
   * @param host the {@code Host} header; empty means the host's name for DNS clusters and the
   *     cluster's name otherwise, as in Envoy
   * @param path the request path; required
   * @param method the request method; default {@code GET}
   * @param expectedStatuses half-open ranges of passing statuses; default {@code [200, 201)}
   * @param retriableStatuses failing statuses that count toward {@code unhealthy_threshold} instead
   *     of failing the host at once; default none
   */
  public record HttpCheck(
      String host,
      String path,
      String method,
      List<StatusRange> expectedStatuses,
      List<StatusRange> retriableStatuses)
      implements Checker {
    public static final List<StatusRange> DEFAULT_EXPECTED = List.of(new StatusRange(200, 201));

    public HttpCheck {
      requireNonNull(host, "host");
      requireNonNull(path, "path");
      requireNonNull(method, "method");
      if (path.isEmpty()) {
        throw new IllegalArgumentException("path: empty (expected: a request path)");
      }
      expectedStatuses =
          requireNonNull(expectedStatuses, "expectedStatuses").isEmpty()
              ? DEFAULT_EXPECTED
              : List.copyOf(expectedStatuses);
      retriableStatuses = List.copyOf(requireNonNull(retriableStatuses, "retriableStatuses"));
    }

    /** A GET of {@code path} that passes on 200. */
    public static HttpCheck get(String path) {
      return new HttpCheck("", path, "GET", List.of(), List.of());
    }

    public boolean expected(int status) {
      return StatusRange.contains(expectedStatuses, status);
    }

    public boolean retriable(int status) {
      return StatusRange.contains(retriableStatuses, status);
    }
  }

  /** {@code tcp_health_check} without payloads: the check passes when a connection opens. */
  public record TcpCheck() implements Checker {
    public static final TcpCheck INSTANCE = new TcpCheck();
  }

  /**
   * Envoy's {@code type.v3.Int64Range} for HTTP statuses: {@code [start, end)}, {@code 100 <= start
   * < end <= 600}.
   */
  public record StatusRange(long start, long end) {
    public StatusRange {
      if (start < 100 || end > 600 || start >= end) {
        throw new IllegalArgumentException(
            "["
                + start
                + ", "
                + end
                + ") is not a status range (expected: 100 <= start < end <= 600)");
      }
    }

    static boolean contains(List<StatusRange> ranges, int status) {
      for (StatusRange r : ranges) {
        if (status >= r.start && status < r.end) {
          return true;
        }
      }
      return false;
    }
  }
}
