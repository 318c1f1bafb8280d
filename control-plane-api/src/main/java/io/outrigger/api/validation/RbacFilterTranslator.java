package io.outrigger.api.validation;

import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.outrigger.api.model.RbacNetworkFilterConfig;
import io.outrigger.api.model.http.RbacFilterConfig;
import io.outrigger.api.model.http.RbacPerRouteConfig;
import io.outrigger.api.model.rbac.RbacRules;
import java.util.Optional;

/**
 * Translates the RBAC filters' {@code typed_config}: {@code extensions.filters.http.rbac.v3.RBAC},
 * its per-route {@code RBACPerRoute}, and {@code extensions.filters.network.rbac.v3.RBAC}.
 */
final class RbacFilterTranslator {
  private RbacFilterTranslator() {}

  /** An {@code http_filters[i].typed_config}. */
  static RbacFilterConfig http(String name, RBAC proto, String path) throws ConfigException {
    // The rules are checked by RbacTranslator, which names each policy in its paths.
    SupportedFieldsCheck.check(proto.toBuilder().clearRules().clearShadowRules(), path);
    Optional<RbacRules> rules =
        proto.hasRules()
            ? Optional.of(RbacTranslator.rules(proto.getRules(), Paths.field(path, "rules"), false))
            : Optional.empty();
    Optional<RbacRules> shadow =
        proto.hasShadowRules()
            ? Optional.of(
                RbacTranslator.rules(
                    proto.getShadowRules(), Paths.field(path, "shadow_rules"), false))
            : Optional.empty();
    try {
      return new RbacFilterConfig(
          name.isEmpty() ? RbacFilterConfig.FILTER_NAME : name,
          rules,
          shadow,
          proto.getRulesStatPrefix(),
          proto.getShadowRulesStatPrefix());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** A {@code typed_per_filter_config} entry for the HTTP filter named {@code name}. */
  static RbacPerRouteConfig perRoute(String name, RBACPerRoute proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto.toBuilder().clearRbac(), path);
    Optional<RbacFilterConfig> rbac =
        proto.hasRbac()
            ? Optional.of(http(name, proto.getRbac(), Paths.field(path, "rbac")))
            : Optional.empty();
    try {
      return new RbacPerRouteConfig(name, rbac);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** A listener filter chain's {@code filters[i].typed_config}. */
  static RbacNetworkFilterConfig network(
      String name, io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto.toBuilder().clearRules().clearShadowRules(), path);
    if (proto.getStatPrefix().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "stat_prefix"), "required");
    }
    Optional<RbacRules> rules =
        proto.hasRules()
            ? Optional.of(RbacTranslator.rules(proto.getRules(), Paths.field(path, "rules"), true))
            : Optional.empty();
    Optional<RbacRules> shadow =
        proto.hasShadowRules()
            ? Optional.of(
                RbacTranslator.rules(
                    proto.getShadowRules(), Paths.field(path, "shadow_rules"), true))
            : Optional.empty();
    RbacNetworkFilterConfig.EnforcementType enforcement =
        switch (proto.getEnforcementType()) {
          case ONE_TIME_ON_FIRST_BYTE ->
              RbacNetworkFilterConfig.EnforcementType.ONE_TIME_ON_FIRST_BYTE;
          case CONTINUOUS -> RbacNetworkFilterConfig.EnforcementType.CONTINUOUS;
          default ->
              throw ConfigException.at(
                  Paths.field(path, "enforcement_type"),
                  proto.getEnforcementType()
                      + " not supported (expected: ONE_TIME_ON_FIRST_BYTE or CONTINUOUS)");
        };
    try {
      return new RbacNetworkFilterConfig(
          name.isEmpty() ? RbacNetworkFilterConfig.FILTER_NAME : name,
          proto.getStatPrefix(),
          rules,
          shadow,
          proto.getShadowRulesStatPrefix(),
          enforcement);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
