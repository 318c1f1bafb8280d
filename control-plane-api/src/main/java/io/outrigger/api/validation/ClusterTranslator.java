package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveredCluster;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.OutlierDetectionConfig;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.api.model.UpstreamHttpOptions;
import io.outrigger.api.validation.AddressTranslator.HostKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates {@code cluster.v3.Cluster} into {@link ClusterConfig}: the load-balancing policy
 * through {@link LbConfigTranslator}, the upstream HTTP options through {@link
 * UpstreamHttpOptionsTranslator}.
 *
 * <p>A static cluster ({@link #translate}) is STATIC, STRICT_DNS or LOGICAL_DNS. A CDS resource
 * ({@link #translateResource}) may also be EDS, with {@code eds_cluster_config.eds_config: {ads:
 * {}}}: its hosts are then the {@code ClusterLoadAssignment} named by {@code service_name}.
 */
public final class ClusterTranslator {
  private ClusterTranslator() {}

  /**
   * A cluster of a static bootstrap: EDS is refused, as there is no discovery there.
   *
   * @param proto a static cluster
   * @param path where it sits, e.g. {@code static_resources.clusters[0]}
   */
  public static ClusterConfig translate(Cluster proto, String path) throws ConfigException {
    return translate(proto, path, false).config();
  }

  /**
   * A CDS resource: as {@link #translate}, and EDS clusters too.
   *
   * @param proto a cluster received over CDS (or read by the control plane)
   * @param path where it sits, e.g. {@code [0]} for the first resource of a file
   */
  public static DiscoveredCluster translateResource(Cluster proto, String path)
      throws ConfigException {
    return translate(proto, path, true);
  }

  private static DiscoveredCluster translate(Cluster proto, String path, boolean discovered)
      throws ConfigException {
    UpstreamHttpOptionsTranslator.refuseDeprecatedClusterFields(proto, path);
    SupportedFieldsCheck.check(proto, path);
    if (proto.getName().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "name"), "required");
    }
    DiscoveryType type = discoveryType(proto, path, discovered);
    Optional<String> edsServiceName = edsServiceName(proto, path, type);
    LbConfig lbConfig = LbConfigTranslator.translate(proto, path);
    requireOriginalDstPairing(proto, path, type, lbConfig);
    UpstreamHttpOptions httpOptions = UpstreamHttpOptionsTranslator.translate(proto, path);
    List<EndpointConfig> endpoints =
        endpoints(proto.getLoadAssignment(), Paths.field(path, "load_assignment"), type);
    try {
      return new DiscoveredCluster(
          clusterConfig(proto, path, type, lbConfig, endpoints, httpOptions), edsServiceName);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static ClusterConfig clusterConfig(
      Cluster proto,
      String path,
      DiscoveryType type,
      LbConfig lbConfig,
      List<EndpointConfig> endpoints,
      UpstreamHttpOptions httpOptions)
      throws ConfigException {
    Optional<OutlierDetectionConfig> outlierDetection =
        proto.hasOutlierDetection()
            ? Optional.of(
                OutlierDetectionTranslator.translate(
                    proto.getOutlierDetection(), Paths.field(path, "outlier_detection")))
            : Optional.empty();
    List<HealthCheckConfig> healthChecks =
        HealthCheckTranslator.translate(proto.getHealthChecksList(), path);
    double panicThreshold = healthyPanicThreshold(proto, path);
    try {
      return new ClusterConfig(
          proto.getName(),
          type,
          connectTimeout(proto, path),
          lbConfig,
          endpoints,
          dnsLookupFamily(proto, path),
          dnsRefreshRate(proto, path),
          bufferLimit(proto, path),
          httpOptions,
          ResourceLimitsTranslator.translate(proto, path),
          outlierDetection,
          healthChecks,
          panicThreshold,
          proto.hasTransportSocket()
              ? java.util.Optional.of(
                  TlsTranslator.upstream(
                      proto.getTransportSocket(), Paths.field(path, "transport_socket")))
              : java.util.Optional.empty());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** {@code common_lb_config.healthy_panic_threshold}: Envoy's default 50 %, 0 disables panic. */
  private static double healthyPanicThreshold(Cluster proto, String path) throws ConfigException {
    if (!proto.hasCommonLbConfig() || !proto.getCommonLbConfig().hasHealthyPanicThreshold()) {
      return ClusterConfig.DEFAULT_HEALTHY_PANIC_THRESHOLD_PERCENT;
    }
    double value = proto.getCommonLbConfig().getHealthyPanicThreshold().getValue();
    if (!(value >= 0 && value <= 100)) {
      throw ConfigException.at(
          Paths.field(Paths.field(path, "common_lb_config"), "healthy_panic_threshold.value"),
          value + " (expected: 0..100)");
    }
    return value;
  }

  private static DiscoveryType discoveryType(Cluster proto, String path, boolean discovered)
      throws ConfigException {
    return switch (proto.getType()) {
      case STATIC -> DiscoveryType.STATIC;
      case STRICT_DNS -> DiscoveryType.STRICT_DNS;
      case LOGICAL_DNS -> DiscoveryType.LOGICAL_DNS;
      case ORIGINAL_DST -> DiscoveryType.ORIGINAL_DST;
      case EDS -> {
        if (!discovered) {
          throw ConfigException.at(
              Paths.field(path, "type"),
              "EDS not supported (expected: STATIC, STRICT_DNS, LOGICAL_DNS or ORIGINAL_DST)");
        }
        yield DiscoveryType.EDS;
      }
      default ->
          throw ConfigException.at(
              Paths.field(path, "type"),
              proto.getType()
                  + " not supported (expected: STATIC, STRICT_DNS, LOGICAL_DNS, ORIGINAL_DST"
                  + (discovered ? ", or EDS)" : ")"));
    };
  }

  /**
   * Envoy's pairing: an {@code ORIGINAL_DST} cluster takes {@code lb_policy: CLUSTER_PROVIDED} and
   * no configured hosts or health checks (its hosts come and go with connections); {@code
   * CLUSTER_PROVIDED} and {@code cleanup_interval} belong to it alone.
   */
  private static void requireOriginalDstPairing(
      Cluster proto, String path, DiscoveryType type, LbConfig lb) throws ConfigException {
    boolean originalDst = type == DiscoveryType.ORIGINAL_DST;
    if (originalDst != (lb instanceof LbConfig.OriginalDst)) {
      throw ConfigException.at(
          Paths.field(path, "lb_policy"),
          originalDst
              ? proto.getLbPolicy() + " (expected: CLUSTER_PROVIDED for type ORIGINAL_DST)"
              : "CLUSTER_PROVIDED only with type: ORIGINAL_DST (type is " + type + ")");
    }
    if (!originalDst) {
      if (proto.hasCleanupInterval()) {
        throw ConfigException.at(
            Paths.field(path, "cleanup_interval"), "only with type: ORIGINAL_DST");
      }
      return;
    }
    if (proto.getLoadAssignment().getEndpointsCount() > 0) {
      throw ConfigException.at(
          Paths.field(path, "load_assignment"),
          "not read for an ORIGINAL_DST cluster (its hosts are the connections' original"
              + " destinations)");
    }
    if (proto.getHealthChecksCount() > 0) {
      throw ConfigException.at(
          Paths.field(path, "health_checks"), "not supported with type: ORIGINAL_DST");
    }
    if (proto.hasOutlierDetection()) {
      throw ConfigException.at(
          Paths.field(path, "outlier_detection"), "not supported with type: ORIGINAL_DST yet");
    }
  }

  /**
   * The EDS service name of an EDS cluster: {@code eds_cluster_config.service_name}, or the
   * cluster's name. Any other cluster must not carry {@code eds_cluster_config}, and an EDS cluster
   * takes its hosts from EDS only, never from {@code load_assignment}.
   */
  private static Optional<String> edsServiceName(Cluster proto, String path, DiscoveryType type)
      throws ConfigException {
    String edsPath = Paths.field(path, "eds_cluster_config");
    if (type != DiscoveryType.EDS) {
      if (proto.hasEdsClusterConfig()) {
        throw ConfigException.at(edsPath, "only with type: EDS (type is " + type + ")");
      }
      return Optional.empty();
    }
    if (proto.hasLoadAssignment()) {
      throw ConfigException.at(
          Paths.field(path, "load_assignment"),
          "not read for an EDS cluster (its hosts come from the ClusterLoadAssignment resource"
              + " named by eds_cluster_config.service_name)");
    }
    Cluster.EdsClusterConfig eds = proto.getEdsClusterConfig();
    if (!eds.hasEdsConfig()) {
      throw ConfigException.at(Paths.field(edsPath, "eds_config"), "required (expected: ads: {})");
    }
    ConfigSourceTranslator.requireAds(eds.getEdsConfig(), Paths.field(edsPath, "eds_config"));
    return Optional.of(eds.getServiceName().isEmpty() ? proto.getName() : eds.getServiceName());
  }

  private static Duration connectTimeout(Cluster proto, String path) throws ConfigException {
    if (!proto.hasConnectTimeout()) {
      return ClusterConfig.DEFAULT_CONNECT_TIMEOUT;
    }
    String timeoutPath = Paths.field(path, "connect_timeout");
    Duration timeout = ProtoValues.duration(proto.getConnectTimeout(), timeoutPath);
    if (timeout.isZero()) {
      throw ConfigException.at(timeoutPath, "0s (expected: > 0s)");
    }
    return timeout;
  }

  private static DnsLookupFamily dnsLookupFamily(Cluster proto, String path)
      throws ConfigException {
    Cluster.DnsLookupFamily family = proto.getDnsLookupFamily();
    for (DnsLookupFamily candidate : DnsLookupFamily.values()) {
      if (candidate.name().equals(family.name())) {
        return candidate;
      }
    }
    throw ConfigException.at(Paths.field(path, "dns_lookup_family"), family + " not supported");
  }

  private static Duration dnsRefreshRate(Cluster proto, String path) throws ConfigException {
    if (!proto.hasDnsRefreshRate()) {
      return ClusterConfig.DEFAULT_DNS_REFRESH_RATE;
    }
    String ratePath = Paths.field(path, "dns_refresh_rate");
    Duration rate = ProtoValues.duration(proto.getDnsRefreshRate(), ratePath);
    if (rate.toMillis() < 1) {
      throw ConfigException.at(ratePath, ProtoValues.format(rate) + " (expected: >= 0.001s)");
    }
    return rate;
  }

  private static int bufferLimit(Cluster proto, String path) throws ConfigException {
    return proto.hasPerConnectionBufferLimitBytes()
        ? ProtoValues.positiveInt(
            proto.getPerConnectionBufferLimitBytes(),
            Paths.field(path, "per_connection_buffer_limit_bytes"))
        : ClusterConfig.DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES;
  }

  /**
   * The hosts of a {@code load_assignment} or an EDS resource, flattened over localities.
   *
   * @param type {@link DiscoveryType#STATIC} and {@link DiscoveryType#EDS} take IP literals only
   */
  static List<EndpointConfig> endpoints(
      ClusterLoadAssignment assignment, String path, DiscoveryType type) throws ConfigException {
    HostKind hostKind =
        type == DiscoveryType.STATIC || type == DiscoveryType.EDS
            ? HostKind.IP_LITERAL
            : HostKind.IP_OR_HOSTNAME;
    List<EndpointConfig> endpoints = new ArrayList<>();
    for (int i = 0; i < assignment.getEndpointsCount(); i++) {
      LocalityLbEndpoints locality = assignment.getEndpoints(i);
      String localityPath = Paths.item(path, "endpoints", i);
      for (int j = 0; j < locality.getLbEndpointsCount(); j++) {
        endpoints.add(
            endpoint(
                locality.getLbEndpoints(j), Paths.item(localityPath, "lb_endpoints", j), hostKind));
      }
    }
    if (type == DiscoveryType.LOGICAL_DNS && endpoints.size() != 1) {
      throw ConfigException.at(
          path, "LOGICAL_DNS takes exactly one endpoint, got " + endpoints.size());
    }
    return endpoints;
  }

  private static EndpointConfig endpoint(LbEndpoint lbEndpoint, String path, HostKind hostKind)
      throws ConfigException {
    String endpointPath = Paths.field(path, "endpoint");
    if (!lbEndpoint.hasEndpoint()) {
      throw ConfigException.at(endpointPath, "required");
    }
    if (!lbEndpoint.getEndpoint().hasAddress()) {
      throw ConfigException.at(Paths.field(endpointPath, "address"), "required");
    }
    SocketAddressConfig address =
        AddressTranslator.translateUpstream(
            lbEndpoint.getEndpoint().getAddress(), Paths.field(endpointPath, "address"), hostKind);
    int weight =
        lbEndpoint.hasLoadBalancingWeight()
            ? ProtoValues.positiveInt(
                lbEndpoint.getLoadBalancingWeight(), Paths.field(path, "load_balancing_weight"))
            : 1;
    try {
      return new EndpointConfig(address, weight);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
