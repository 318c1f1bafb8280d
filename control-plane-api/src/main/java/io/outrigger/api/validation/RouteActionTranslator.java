package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.ClusterSpecifier;
import io.outrigger.api.model.http.DirectResponseRoute;
import io.outrigger.api.model.http.HashPolicy;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RedirectResponseCode;
import io.outrigger.api.model.http.RedirectRoute;
import io.outrigger.api.model.http.RegexRewrite;
import io.outrigger.api.model.http.UpgradeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Translates a route's action: {@code route}, {@code redirect} or {@code direct_response}. */
final class RouteActionTranslator {
  private RouteActionTranslator() {}

  /**
   * @param match the route's path match, which prefix rewrites depend on
   * @param path the path of the {@code route} field
   */
  static ClusterRoute cluster(RouteAction proto, PathMatch match, String path)
      throws ConfigException {
    ClusterSpecifier cluster = clusterSpecifier(proto, path);
    Optional<String> prefixRewrite = Optional.empty();
    if (!proto.getPrefixRewrite().isEmpty()) {
      requirePrefixOrPath(match, Paths.field(path, "prefix_rewrite"));
      prefixRewrite = Optional.of(proto.getPrefixRewrite());
    }
    Optional<RegexRewrite> regexRewrite = Optional.empty();
    if (proto.hasRegexRewrite()) {
      regexRewrite = Optional.of(regexRewrite(proto, Paths.field(path, "regex_rewrite")));
    }
    Duration timeout =
        proto.hasTimeout()
            ? ProtoValues.duration(proto.getTimeout(), Paths.field(path, "timeout"))
            : ClusterRoute.DEFAULT_TIMEOUT;
    Optional<Duration> idleTimeout =
        proto.hasIdleTimeout()
            ? Optional.of(
                ProtoValues.duration(proto.getIdleTimeout(), Paths.field(path, "idle_timeout")))
            : Optional.empty();
    Optional<String> hostLiteral =
        proto.getHostRewriteSpecifierCase()
                == RouteAction.HostRewriteSpecifierCase.HOST_REWRITE_LITERAL
            ? Optional.of(proto.getHostRewriteLiteral())
            : Optional.empty();
    try {
      return new ClusterRoute(
          cluster,
          prefixRewrite,
          regexRewrite,
          hostLiteral,
          proto.hasAutoHostRewrite() && proto.getAutoHostRewrite().getValue(),
          timeout,
          idleTimeout,
          hashPolicies(proto, path),
          upgrades(proto.getUpgradeConfigsList(), path));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static ClusterSpecifier clusterSpecifier(RouteAction proto, String path)
      throws ConfigException {
    try {
      return switch (proto.getClusterSpecifierCase()) {
        case CLUSTER -> new ClusterSpecifier.SingleCluster(proto.getCluster());
        case CLUSTER_HEADER -> new ClusterSpecifier.ClusterHeader(proto.getClusterHeader());
        case WEIGHTED_CLUSTERS ->
            weighted(proto.getWeightedClusters(), Paths.field(path, "weighted_clusters"));
        default ->
            throw ConfigException.at(
                path, "one of cluster, weighted_clusters or cluster_header required");
      };
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static ClusterSpecifier weighted(WeightedCluster proto, String path)
      throws ConfigException {
    List<ClusterSpecifier.ClusterWeight> clusters = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < proto.getClustersCount(); i++) {
      WeightedCluster.ClusterWeight c = proto.getClusters(i);
      String at = Paths.item(path, "clusters", i);
      long weight = c.hasWeight() ? Integer.toUnsignedLong(c.getWeight().getValue()) : 0;
      try {
        clusters.add(new ClusterSpecifier.ClusterWeight(c.getName(), weight));
      } catch (IllegalArgumentException e) {
        throw Paths.fromModel(at, e);
      }
      sum += weight;
    }
    if (proto.hasTotalWeight()
        && Integer.toUnsignedLong(proto.getTotalWeight().getValue()) != sum) {
      throw ConfigException.at(
          Paths.field(path, "total_weight"),
          Integer.toUnsignedLong(proto.getTotalWeight().getValue())
              + " but the weights sum to "
              + sum
              + " (total_weight is deprecated: remove it, or make it the sum)");
    }
    try {
      return new ClusterSpecifier.WeightedClusters(clusters);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static RegexRewrite regexRewrite(RouteAction proto, String path) throws ConfigException {
    var rewrite = proto.getRegexRewrite();
    if (!rewrite.hasPattern()) {
      throw ConfigException.at(Paths.field(path, "pattern"), "required");
    }
    String pattern =
        StringMatcherTranslator.regex(rewrite.getPattern(), Paths.field(path, "pattern"));
    try {
      return new RegexRewrite(pattern, rewrite.getSubstitution());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static List<HashPolicy> hashPolicies(RouteAction proto, String path)
      throws ConfigException {
    List<HashPolicy> policies = new ArrayList<>();
    for (int i = 0; i < proto.getHashPolicyCount(); i++) {
      RouteAction.HashPolicy p = proto.getHashPolicy(i);
      String at = Paths.item(path, "hash_policy", i);
      try {
        policies.add(
            switch (p.getPolicySpecifierCase()) {
              case HEADER -> new HashPolicy.Header(p.getHeader().getHeaderName(), p.getTerminal());
              case COOKIE -> cookie(p, Paths.field(at, "cookie"));
              case CONNECTION_PROPERTIES -> {
                if (!p.getConnectionProperties().getSourceIp()) {
                  throw ConfigException.at(
                      Paths.field(at, "connection_properties.source_ip"), "false (expected: true)");
                }
                yield new HashPolicy.SourceIp(p.getTerminal());
              }
              default ->
                  throw ConfigException.at(
                      at, "one of header, cookie or connection_properties required");
            });
      } catch (IllegalArgumentException e) {
        String field =
            p.getPolicySpecifierCase() == RouteAction.HashPolicy.PolicySpecifierCase.HEADER
                ? "header"
                : "cookie";
        throw Paths.fromModel(Paths.field(at, field), e);
      }
    }
    return policies;
  }

  private static HashPolicy cookie(RouteAction.HashPolicy p, String path) throws ConfigException {
    if (p.getCookie().hasTtl()) {
      throw ConfigException.at(
          Paths.field(path, "ttl"),
          "generating the hash cookie is not supported (without ttl, an existing cookie is"
              + " hashed)");
    }
    return new HashPolicy.Cookie(p.getCookie().getName(), p.getTerminal());
  }

  /** Shared by the connection manager's and the routes' {@code upgrade_configs}. */
  static List<UpgradeConfig> upgrades(
      List<? extends com.google.protobuf.MessageOrBuilder> protos, String path)
      throws ConfigException {
    List<UpgradeConfig> upgrades = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < protos.size(); i++) {
      String at = Paths.item(path, "upgrade_configs", i);
      String type;
      boolean enabled;
      if (protos.get(i) instanceof RouteAction.UpgradeConfig u) {
        type = u.getUpgradeType();
        enabled = !u.hasEnabled() || u.getEnabled().getValue();
      } else {
        var u =
            (io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                    .HttpConnectionManager.UpgradeConfig)
                protos.get(i);
        type = u.getUpgradeType();
        enabled = !u.hasEnabled() || u.getEnabled().getValue();
      }
      UpgradeConfig upgrade;
      try {
        upgrade = new UpgradeConfig(type, enabled);
      } catch (IllegalArgumentException e) {
        throw Paths.fromModel(at, e);
      }
      if (!seen.add(upgrade.upgradeType())) {
        throw ConfigException.at(
            Paths.field(at, "upgrade_type"), "duplicate upgrade type \"" + type + "\"");
      }
      upgrades.add(upgrade);
    }
    return upgrades;
  }

  static RedirectRoute redirect(RedirectAction proto, PathMatch match, String path)
      throws ConfigException {
    Optional<String> scheme =
        switch (proto.getSchemeRewriteSpecifierCase()) {
          case HTTPS_REDIRECT -> proto.getHttpsRedirect() ? Optional.of("https") : Optional.empty();
          case SCHEME_REDIRECT -> Optional.of(proto.getSchemeRedirect());
          default -> Optional.empty();
        };
    Optional<String> prefixRewrite = Optional.empty();
    if (proto.getPathRewriteSpecifierCase()
        == RedirectAction.PathRewriteSpecifierCase.PREFIX_REWRITE) {
      requirePrefixOrPath(match, Paths.field(path, "prefix_rewrite"));
      prefixRewrite = Optional.of(proto.getPrefixRewrite());
    }
    Optional<String> pathRedirect =
        proto.getPathRewriteSpecifierCase() == RedirectAction.PathRewriteSpecifierCase.PATH_REDIRECT
            ? Optional.of(proto.getPathRedirect())
            : Optional.empty();
    if (proto.getResponseCode() == RedirectAction.RedirectResponseCode.UNRECOGNIZED) {
      throw ConfigException.at(
          Paths.field(path, "response_code"), "unknown value " + proto.getResponseCodeValue());
    }
    try {
      return new RedirectRoute(
          scheme.filter(s -> !s.isEmpty()),
          proto.getHostRedirect().isEmpty()
              ? Optional.empty()
              : Optional.of(proto.getHostRedirect()),
          proto.getPortRedirect(),
          pathRedirect,
          prefixRewrite,
          RedirectResponseCode.valueOf(proto.getResponseCode().name()),
          proto.getStripQuery());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  static DirectResponseRoute directResponse(DirectResponseAction proto, String path)
      throws ConfigException {
    byte[] body = new byte[0];
    if (proto.hasBody()) {
      body =
          switch (proto.getBody().getSpecifierCase()) {
            case INLINE_STRING ->
                proto.getBody().getInlineString().getBytes(StandardCharsets.UTF_8);
            case INLINE_BYTES -> proto.getBody().getInlineBytes().toByteArray();
            default ->
                throw ConfigException.at(
                    Paths.field(path, "body"), "one of inline_string or inline_bytes required");
          };
    }
    try {
      return new DirectResponseRoute(proto.getStatus(), body);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static void requirePrefixOrPath(PathMatch match, String path) throws ConfigException {
    if (match instanceof PathMatch.Regex) {
      throw ConfigException.at(
          path, "cannot be used with a safe_regex match (expected: prefix or path)");
    }
  }
}
