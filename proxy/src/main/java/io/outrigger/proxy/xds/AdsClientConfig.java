package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.AdsConfig;
import io.outrigger.api.model.AdsSourceConfig;
import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DynamicResourcesConfig;
import io.outrigger.api.model.NodeConfig;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What the discovery client needs: where the control plane is, who this sidecar is, what to
 * subscribe to, and its timers.
 *
 * @param target a gRPC target, {@code host:port} or {@code dns:///host:port}
 * @param tls the {@code envoy_grpc} cluster's {@code UpstreamTlsContext}: the stream is TLS,
 *     verified as that cluster's hosts would be; empty: plaintext
 * @param initialMetadata {@code grpc_services[0].initial_metadata}, sent with every stream (a
 *     bearer token in {@code authorization}); default none
 * @param node sent on every request (java-control-plane picks the node group per request); the id
 *     must not be empty
 * @param wildcardTypes the wildcard types subscribed at once (CDS for {@code cds_config}, LDS for
 *     {@code lds_config}); the others are subscribed through {@code want()}
 * @param initialFetchTimeout how long {@link AdsClient#initialFetch()} waits at most; {@link
 *     Duration#ZERO} waits forever; default 15 s (Envoy's)
 * @param backoffBase the first reconnect window; default 500 ms (Envoy's)
 * @param backoffMax the largest reconnect window; default 30 s (Envoy's)
 * @param clock stamps {@link TypeStatus}
 * @param random jitters the back-off
 */
public record AdsClientConfig(
    String target,
    Optional<UpstreamTlsConfig> tls,
    Map<String, String> initialMetadata,
    NodeConfig node,
    Set<XdsResourceType> wildcardTypes,
    Duration initialFetchTimeout,
    Duration backoffBase,
    Duration backoffMax,
    Clock clock,
    RandomGenerator random) {
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(500);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);

  public AdsClientConfig {
    requireNonNull(target, "target");
    requireNonNull(tls, "tls");
    initialMetadata = Map.copyOf(requireNonNull(initialMetadata, "initialMetadata"));
    requireNonNull(node, "node");
    wildcardTypes = Set.copyOf(requireNonNull(wildcardTypes, "wildcardTypes"));
    requireNonNull(initialFetchTimeout, "initialFetchTimeout");
    requireNonNull(backoffBase, "backoffBase");
    requireNonNull(backoffMax, "backoffMax");
    requireNonNull(clock, "clock");
    requireNonNull(random, "random");
    if (target.isEmpty()) {
      throw new IllegalArgumentException("target: empty (expected: host:port)");
    }
    if (node.id().isEmpty()) {
      throw new IllegalArgumentException("node.id: empty (expected: the sidecar's id)");
    }
    for (XdsResourceType type : wildcardTypes) {
      if (!type.wildcard()) {
        throw new IllegalArgumentException("wildcardTypes: " + type + " is not a wildcard type");
      }
    }
    if (initialFetchTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "initialFetchTimeout: " + initialFetchTimeout + " (expected: >= 0)");
    }
  }

  /**
   * The client of a bootstrap's {@code dynamic_resources}: the target is the {@code google_grpc}
   * target URI, or the first endpoint of the {@code envoy_grpc} static cluster, with that cluster's
   * TLS; the {@code initial_metadata}; the initial fetch timeout is the longest of {@code
   * cds_config}'s and {@code lds_config}'s (zero, waiting forever, when either is zero); Envoy's
   * back-off.
   *
   * @throws IllegalArgumentException when the bootstrap has no {@code dynamic_resources}
   */
  public static AdsClientConfig fromBootstrap(
      BootstrapConfig bootstrap, Clock clock, RandomGenerator random) {
    DynamicResourcesConfig dynamic =
        bootstrap
            .dynamicResources()
            .orElseThrow(
                () -> new IllegalArgumentException("the bootstrap has no dynamic_resources"));
    Set<XdsResourceType> wildcard = EnumSet.noneOf(XdsResourceType.class);
    dynamic.cds().ifPresent(c -> wildcard.add(XdsResourceType.CLUSTER));
    dynamic.lds().ifPresent(c -> wildcard.add(XdsResourceType.LISTENER));
    return new AdsClientConfig(
        target(dynamic.ads(), bootstrap),
        tls(dynamic.ads(), bootstrap),
        dynamic.ads().initialMetadata(),
        bootstrap.node(),
        wildcard,
        initialFetchTimeout(dynamic.cds(), dynamic.lds()),
        DEFAULT_BACKOFF_BASE,
        DEFAULT_BACKOFF_MAX,
        clock,
        random);
  }

  /** The same with another back-off window (tests use short ones). */
  public AdsClientConfig withBackoff(Duration base, Duration max) {
    return new AdsClientConfig(
        target,
        tls,
        initialMetadata,
        node,
        wildcardTypes,
        initialFetchTimeout,
        base,
        max,
        clock,
        random);
  }

  /** The same with another initial fetch timeout. */
  public AdsClientConfig withInitialFetchTimeout(Duration timeout) {
    return new AdsClientConfig(
        target,
        tls,
        initialMetadata,
        node,
        wildcardTypes,
        timeout,
        backoffBase,
        backoffMax,
        clock,
        random);
  }

  private static Optional<UpstreamTlsConfig> tls(AdsConfig ads, BootstrapConfig bootstrap) {
    return ads instanceof AdsConfig.EnvoyGrpc envoy
        ? cluster(envoy.clusterName(), bootstrap).tls()
        : Optional.empty();
  }

  private static ClusterConfig cluster(String clusterName, BootstrapConfig bootstrap) {
    return bootstrap.clusters().stream()
        .filter(c -> c.name().equals(clusterName))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no static cluster \"" + clusterName + "\""));
  }

  private static String target(AdsConfig ads, BootstrapConfig bootstrap) {
    if (ads instanceof AdsConfig.GoogleGrpc google) {
      return google.targetUri();
    }
    String clusterName = ((AdsConfig.EnvoyGrpc) ads).clusterName();
    ClusterConfig cluster = cluster(clusterName, bootstrap);
    if (cluster.endpoints().isEmpty()) {
      throw new IllegalArgumentException("static cluster \"" + clusterName + "\" has no endpoint");
    }
    // Every endpoint, in order: the stream fails over across them (ControlPlaneEndpoints).
    java.util.List<String> hostPorts = new java.util.ArrayList<>();
    for (var endpoint : cluster.endpoints()) {
      SocketAddressConfig address = endpoint.address();
      String host = address.address();
      hostPorts.add((host.contains(":") ? "[" + host + "]" : host) + ":" + address.port());
    }
    return ControlPlaneEndpoints.target(hostPorts);
  }

  private static Duration initialFetchTimeout(
      Optional<AdsSourceConfig> cds, Optional<AdsSourceConfig> lds) {
    Duration longest = Duration.ZERO;
    boolean any = false;
    for (Optional<AdsSourceConfig> source : java.util.List.of(cds, lds)) {
      if (source.isEmpty()) {
        continue;
      }
      Duration timeout = source.get().initialFetchTimeout();
      if (timeout.isZero()) {
        return Duration.ZERO;
      }
      any = true;
      longest = timeout.compareTo(longest) > 0 ? timeout : longest;
    }
    return any ? longest : AdsSourceConfig.DEFAULT_INITIAL_FETCH_TIMEOUT;
  }
}
