package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.accesslog.AccessLogConfig;
import java.time.Duration;
import java.util.List;

/**
 * {@code envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy}: the terminal L4 filter.
 *
 * @param name the filter name as configured
 * @param statPrefix labels this filter's statistics; required
 * @param cluster the upstream cluster; required
 * @param idleTimeout close both sides after this long without bytes either way; Envoy's default is
 *     1 hour; {@link Duration#ZERO} disables it
 * @param maxConnectAttempts upstream connect attempts before the downstream is closed; default 1,
 *     at least 1
 * @param accessLog the access logs written when a downstream connection closes; default none
 */
public record TcpProxyConfig(
    String name,
    String statPrefix,
    String cluster,
    Duration idleTimeout,
    int maxConnectAttempts,
    List<AccessLogConfig> accessLog)
    implements NetworkFilterConfig {

  public static final String FILTER_NAME = "envoy.filters.network.tcp_proxy";
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
  public static final int DEFAULT_MAX_CONNECT_ATTEMPTS = 1;

  public TcpProxyConfig {
    requireNonNull(name, "name");
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(cluster, "cluster");
    requireNonNull(idleTimeout, "idleTimeout");
    accessLog = List.copyOf(requireNonNull(accessLog, "accessLog"));
    if (statPrefix.isEmpty()) {
      throw new IllegalArgumentException("stat_prefix: empty (expected: a non-empty string)");
    }
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("cluster: empty (expected: a cluster name)");
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idle_timeout: " + idleTimeout + " (expected: >= 0)");
    }
    if (maxConnectAttempts < 1) {
      throw new IllegalArgumentException(
          "max_connect_attempts: " + maxConnectAttempts + " (expected: >= 1)");
    }
  }

  /** Without access logs. */
  public TcpProxyConfig(
      String name,
      String statPrefix,
      String cluster,
      Duration idleTimeout,
      int maxConnectAttempts) {
    this(name, statPrefix, cluster, idleTimeout, maxConnectAttempts, List.of());
  }
}
