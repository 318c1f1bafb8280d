package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code route.v3.RouteAction}: forward the request to a cluster.
 *
 * @param cluster which cluster
 * @param prefixRewrite replaces the matched prefix (or the whole matched {@code path}); the query
 *     is kept
 * @param regexRewrite rewrites the path (without its query); not with {@code prefixRewrite}
 * @param hostRewriteLiteral the {@code Host}/{@code :authority} sent upstream
 * @param autoHostRewrite send the chosen upstream host's address as the authority; default false;
 *     not with {@code hostRewriteLiteral}
 * @param timeout the whole upstream request, until the response is complete; Envoy's default is 15
 *     s; {@link Duration#ZERO} disables it
 * @param idleTimeout per-stream idle timeout for this route; empty means the connection manager's
 *     {@code stream_idle_timeout}; {@link Duration#ZERO} disables it
 * @param hashPolicies inputs to the request hash, in order; default none (no hash)
 * @param upgradeConfigs per-type overrides of the connection manager's {@code upgrade_configs}
 * @param retry retries, hedging and the replay buffer, with the virtual host's settings folded in
 */
public record ClusterRoute(
    ClusterSpecifier cluster,
    Optional<String> prefixRewrite,
    Optional<RegexRewrite> regexRewrite,
    Optional<String> hostRewriteLiteral,
    boolean autoHostRewrite,
    Duration timeout,
    Optional<Duration> idleTimeout,
    List<HashPolicy> hashPolicies,
    List<UpgradeConfig> upgradeConfigs,
    RouteRetry retry)
    implements RouteAction {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  public ClusterRoute {
    requireNonNull(cluster, "cluster");
    requireNonNull(prefixRewrite, "prefixRewrite");
    requireNonNull(regexRewrite, "regexRewrite");
    requireNonNull(hostRewriteLiteral, "hostRewriteLiteral");
    requireNonNull(timeout, "timeout");
    requireNonNull(idleTimeout, "idleTimeout");
    hashPolicies = List.copyOf(requireNonNull(hashPolicies, "hashPolicies"));
    upgradeConfigs = List.copyOf(requireNonNull(upgradeConfigs, "upgradeConfigs"));
    requireNonNull(retry, "retry");
    if (prefixRewrite.isPresent() && regexRewrite.isPresent()) {
      throw new IllegalArgumentException(
          "regex_rewrite: cannot be set together with prefix_rewrite");
    }
    if (hostRewriteLiteral.isPresent() && hostRewriteLiteral.get().isEmpty()) {
      throw new IllegalArgumentException("host_rewrite_literal: empty (expected: a host)");
    }
    if (hostRewriteLiteral.isPresent() && autoHostRewrite) {
      throw new IllegalArgumentException(
          "auto_host_rewrite: cannot be set together with host_rewrite_literal");
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
    }
    if (idleTimeout.isPresent() && idleTimeout.get().isNegative()) {
      throw new IllegalArgumentException(
          "idle_timeout: " + idleTimeout.get() + " (expected: >= 0)");
    }
  }

  /** A route without retries, hedging or a virtual host's attempt count. */
  public ClusterRoute(
      ClusterSpecifier cluster,
      Optional<String> prefixRewrite,
      Optional<RegexRewrite> regexRewrite,
      Optional<String> hostRewriteLiteral,
      boolean autoHostRewrite,
      Duration timeout,
      Optional<Duration> idleTimeout,
      List<HashPolicy> hashPolicies,
      List<UpgradeConfig> upgradeConfigs) {
    this(
        cluster,
        prefixRewrite,
        regexRewrite,
        hostRewriteLiteral,
        autoHostRewrite,
        timeout,
        idleTimeout,
        hashPolicies,
        upgradeConfigs,
        RouteRetry.DEFAULT);
  }

  /** The same route with other retry settings. */
  public ClusterRoute withRetry(RouteRetry retry) {
    return new ClusterRoute(
        cluster,
        prefixRewrite,
        regexRewrite,
        hostRewriteLiteral,
        autoHostRewrite,
        timeout,
        idleTimeout,
        hashPolicies,
        upgradeConfigs,
        retry);
  }

  /** A route to one cluster with every default. */
  public static ClusterRoute to(String cluster) {
    return new ClusterRoute(
        new ClusterSpecifier.SingleCluster(cluster),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        DEFAULT_TIMEOUT,
        Optional.empty(),
        List.of(),
        List.of());
  }
}
