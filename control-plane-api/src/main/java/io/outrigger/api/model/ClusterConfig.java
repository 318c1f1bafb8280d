package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

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
    ResourceLimitsConfig resourceLimits) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DNS_REFRESH_RATE = Duration.ofSeconds(5);
  public static final int DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES = 1024 * 1024;

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
   * A cluster with {@code lbPolicy}'s default settings and HTTP/1.1 upstream with Envoy's defaults;
   * the form clusters had before load-balancing settings and HTTP options existed.
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
        ResourceLimitsConfig.DEFAULT);
  }

  /** The load-balancing policy, {@code lbConfig().policy()}. */
  public LbPolicy lbPolicy() {
    return lbConfig.policy();
  }
}
