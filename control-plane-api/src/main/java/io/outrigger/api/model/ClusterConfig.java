package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.tls.UpstreamTlsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Envoy's {@code cluster.v3.Cluster}: a named group of upstream hosts and how to reach them.
 *
 * @param name unique among clusters; labels the {@code cluster} statistics
 * @param type how hosts are discovered
 * @param connectTimeout upstream connect timeout; Envoy's default is 5 s
 * @param lbConfig how a host is chosen: the {@code lb_policy} with its {@code *_lb_config},
 *     defaults filled; {@link #lbPolicy()} names the policy
 * @param endpoints the {@code load_assignment} endpoints, flattened over localities
 * @param dnsLookupFamily which families DNS clusters resolve; default {@link DnsLookupFamily#AUTO}
 * @param dnsRefreshRate how often DNS clusters resolve again; Envoy's default is 5 s
 * @param perConnectionBufferLimitBytes write-buffer high-water mark of upstream connections;
 *     default 1 MiB
 * @param upstreamHttpOptions how HTTP is spoken to the hosts ({@code
 *     typed_extension_protocol_options}); default HTTP/1.1 with Envoy's defaults
 * @param resourceLimits {@code circuit_breakers} at priority DEFAULT; default Envoy's
 * @param outlierDetection when present, hosts that answer badly are ejected for a time ({@code
 *     outlier_detection}); default empty, no outlier detection
 * @param healthChecks active health checks ({@code health_checks}); default none; at most one, as
 *     in Envoy
 * @param healthyPanicThresholdPercent below this share of healthy hosts the cluster balances over
 *     all hosts ({@code common_lb_config.healthy_panic_threshold}); default 50, 0..100, 0 disables
 *     panic mode
 * @param tls {@code transport_socket} {@code envoy.transport_sockets.tls}: TLS to the hosts;
 *     default empty, plaintext
 */
public record ClusterConfig(
    String name,
    DiscoveryType type,
    Duration connectTimeout,
    LbConfig lbConfig,
    List<EndpointConfig> endpoints,
    DnsLookupFamily dnsLookupFamily,
    Duration dnsRefreshRate,
    int perConnectionBufferLimitBytes,
    UpstreamHttpOptions upstreamHttpOptions,
    ResourceLimitsConfig resourceLimits,
    Optional<OutlierDetectionConfig> outlierDetection,
    List<HealthCheckConfig> healthChecks,
    double healthyPanicThresholdPercent,
    Optional<UpstreamTlsConfig> tls) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DNS_REFRESH_RATE = Duration.ofSeconds(5);
  public static final int DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES = 1024 * 1024;
  public static final double DEFAULT_HEALTHY_PANIC_THRESHOLD_PERCENT = 50.0;

  public ClusterConfig {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(lbConfig, "lbConfig");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    requireNonNull(dnsLookupFamily, "dnsLookupFamily");
    requireNonNull(dnsRefreshRate, "dnsRefreshRate");
    requireNonNull(upstreamHttpOptions, "upstreamHttpOptions");
    requireNonNull(resourceLimits, "resourceLimits");
    requireNonNull(outlierDetection, "outlierDetection");
    requireNonNull(tls, "tls");
    healthChecks = List.copyOf(requireNonNull(healthChecks, "healthChecks"));
    if (healthChecks.size() > 1) {
      throw new IllegalArgumentException(
          "health_checks: " + healthChecks.size() + " checks (expected: at most one, as in Envoy)");
    }
    if (!(healthyPanicThresholdPercent >= 0 && healthyPanicThresholdPercent <= 100)) {
      throw new IllegalArgumentException(
          "healthy_panic_threshold: " + healthyPanicThresholdPercent + " (expected: 0..100)");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a unique cluster name)");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect_timeout: " + connectTimeout + " (expected: > 0)");
    }
    if (dnsRefreshRate.toMillis() < 1) {
      throw new IllegalArgumentException(
          "dns_refresh_rate: " + dnsRefreshRate + " (expected: >= 1ms)");
    }
    if (type == DiscoveryType.LOGICAL_DNS && endpoints.size() != 1) {
      throw new IllegalArgumentException(
          "load_assignment: LOGICAL_DNS takes exactly one endpoint, got " + endpoints.size());
    }
    if (perConnectionBufferLimitBytes < 1) {
      throw new IllegalArgumentException(
          "per_connection_buffer_limit_bytes: "
              + perConnectionBufferLimitBytes
              + " (expected: >= 1)");
    }
  }

  /**
   * A cluster with {@code lbPolicy}'s default settings and HTTP/1.1 upstream with Envoy's defaults,
   * no outlier detection, no health checks and the default panic threshold; the form clusters had
   * before load-balancing settings and HTTP options existed.
   */
  public ClusterConfig(
      String name,
      DiscoveryType type,
      Duration connectTimeout,
      LbPolicy lbPolicy,
      List<EndpointConfig> endpoints,
      DnsLookupFamily dnsLookupFamily,
      Duration dnsRefreshRate,
      int perConnectionBufferLimitBytes) {
    this(
        name,
        type,
        connectTimeout,
        LbConfig.defaults(requireNonNull(lbPolicy, "lbPolicy")),
        endpoints,
        dnsLookupFamily,
        dnsRefreshRate,
        perConnectionBufferLimitBytes,
        UpstreamHttpOptions.DEFAULT,
        ResourceLimitsConfig.DEFAULT,
        Optional.empty(),
        List.of(),
        DEFAULT_HEALTHY_PANIC_THRESHOLD_PERCENT,
        Optional.empty());
  }

  /**
   * A cluster without outlier detection and health checks, with the default panic threshold: the
   * form clusters had before those existed.
   */
  public ClusterConfig(
      String name,
      DiscoveryType type,
      Duration connectTimeout,
      LbConfig lbConfig,
      List<EndpointConfig> endpoints,
      DnsLookupFamily dnsLookupFamily,
      Duration dnsRefreshRate,
      int perConnectionBufferLimitBytes,
      UpstreamHttpOptions upstreamHttpOptions) {
    this(
        name,
        type,
        connectTimeout,
        lbConfig,
        endpoints,
        dnsLookupFamily,
        dnsRefreshRate,
        perConnectionBufferLimitBytes,
        upstreamHttpOptions,
        ResourceLimitsConfig.DEFAULT,
        Optional.empty(),
        List.of(),
        DEFAULT_HEALTHY_PANIC_THRESHOLD_PERCENT,
        Optional.empty());
  }

  /** A plaintext cluster: the form clusters had before upstream TLS existed. */
  public ClusterConfig(
      String name,
      DiscoveryType type,
      Duration connectTimeout,
      LbConfig lbConfig,
      List<EndpointConfig> endpoints,
      DnsLookupFamily dnsLookupFamily,
      Duration dnsRefreshRate,
      int perConnectionBufferLimitBytes,
      UpstreamHttpOptions upstreamHttpOptions,
      ResourceLimitsConfig resourceLimits,
      Optional<OutlierDetectionConfig> outlierDetection,
      List<HealthCheckConfig> healthChecks,
      double healthyPanicThresholdPercent) {
    this(
        name,
        type,
        connectTimeout,
        lbConfig,
        endpoints,
        dnsLookupFamily,
        dnsRefreshRate,
        perConnectionBufferLimitBytes,
        upstreamHttpOptions,
        resourceLimits,
        outlierDetection,
        healthChecks,
        healthyPanicThresholdPercent,
        Optional.empty());
  }

  /** The load-balancing policy, {@code lbConfig().policy()}. */
  public LbPolicy lbPolicy() {
    return lbConfig.policy();
  }
}
