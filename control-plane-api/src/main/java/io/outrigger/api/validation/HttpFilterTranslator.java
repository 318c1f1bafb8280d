package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.RouteComponentsProto;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultProto;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimitProto;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RbacProto;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.RouterProto;
import io.outrigger.api.model.http.FaultFilterConfig;
import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.LocalRateLimitConfig;
import io.outrigger.api.model.http.OptionalFilterConfig;
import io.outrigger.api.model.http.PartitionFilterConfig;
import io.outrigger.api.model.http.RbacFilterConfig;
import io.outrigger.api.model.http.RbacPerRouteConfig;
import io.outrigger.api.model.http.RouterFilterConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Translates an HTTP filter's {@code typed_config}, and a route's or virtual host's {@code
 * typed_per_filter_config}, by the {@code Any}'s type URL. A type not listed here is refused with
 * its URL.
 */
final class HttpFilterTranslator {
  // Full names, not the generated classes' getDescriptor(): only the filters a config holds are
  // loaded.
  private static final String ROUTER =
      ProtoTypes.message(RouterProto.getDescriptor(), "Router").getFullName();
  private static final String HTTP_FAULT =
      ProtoTypes.message(FaultProto.getDescriptor(), "HTTPFault").getFullName();
  private static final String LOCAL_RATE_LIMIT =
      ProtoTypes.message(LocalRateLimitProto.getDescriptor(), "LocalRateLimit").getFullName();
  private static final String HTTP_RBAC =
      ProtoTypes.message(RbacProto.getDescriptor(), "RBAC").getFullName();
  private static final String RBAC_PER_ROUTE =
      ProtoTypes.message(RbacProto.getDescriptor(), "RBACPerRoute").getFullName();
  private static final String FILTER_CONFIG =
      ProtoTypes.message(RouteComponentsProto.getDescriptor(), "FilterConfig").getFullName();

  static final String FILTER_CONFIG_TYPE_URL = "type.googleapis.com/" + FILTER_CONFIG;

  private HttpFilterTranslator() {}

  /**
   * An {@code http_filters[i].typed_config}.
   *
   * @param name the filter's {@code name}; empty means the type's well-known name
   */
  static HttpFilterConfig filter(String name, Any config, String path) throws ConfigException {
    String type = typeName(config);
    if (type.equals(ROUTER)) {
      SupportedFieldsCheck.check(unpack(config, Router.class, path), path);
      return new RouterFilterConfig(name.isEmpty() ? RouterFilterConfig.FILTER_NAME : name);
    }
    if (type.equals(HTTP_FAULT)) {
      return FaultTranslator.translate(
          name.isEmpty() ? FaultFilterConfig.FILTER_NAME : name,
          unpack(config, HTTPFault.class, path),
          path);
    }
    if (type.equals(LOCAL_RATE_LIMIT)) {
      return LocalRateLimitTranslator.translate(
          name.isEmpty() ? LocalRateLimitConfig.FILTER_NAME : name,
          unpack(config, LocalRateLimit.class, path),
          false,
          path);
    }
    if (type.equals(HTTP_RBAC)) {
      return RbacFilterTranslator.http(name, unpack(config, RBAC.class, path), path);
    }
    if (PartitionTranslator.isTypedStruct(type)) {
      return typedStruct(name, config, path);
    }
    throw ConfigException.at(
        path,
        "http filter type \""
            + config.getTypeUrl()
            + "\" not supported (supported: "
            + RouterFilterConfig.TYPE_URL
            + ", "
            + FaultFilterConfig.TYPE_URL
            + ", "
            + LocalRateLimitConfig.TYPE_URL
            + ", "
            + RbacFilterConfig.TYPE_URL
            + ", "
            + PartitionTranslator.TYPED_STRUCT_URL
            + " of "
            + PartitionFilterConfig.TYPE_URL
            + ")");
  }

  /**
   * A {@code typed_per_filter_config} map: each value is the named filter's per-route config, or
   * Envoy's {@code config.route.v3.FilterConfig} wrapper around it ({@code config}, {@code
   * is_optional}; {@code disabled} is refused). Whether the name belongs to a filter of the chain
   * is checked by the connection manager's translator, which knows the chain.
   *
   * @param path the path of the message that holds the map
   */
  static Map<String, HttpFilterConfig> perFilterConfigs(Map<String, Any> configs, String path)
      throws ConfigException {
    Map<String, HttpFilterConfig> out = new LinkedHashMap<>();
    for (Map.Entry<String, Any> e : new java.util.TreeMap<>(configs).entrySet()) {
      String at =
          path + (path.isEmpty() ? "" : ".") + "typed_per_filter_config[\"" + e.getKey() + "\"]";
      if (e.getKey().isEmpty()) {
        throw ConfigException.at(at, "empty filter name (expected: the name of an http filter)");
      }
      out.put(e.getKey(), perFilterConfig(e.getKey(), e.getValue(), at));
    }
    return out;
  }

  private static HttpFilterConfig perFilterConfig(String name, Any config, String path)
      throws ConfigException {
    if (typeName(config).equals(FILTER_CONFIG)) {
      FilterConfig wrapper = unpack(config, FilterConfig.class, path);
      SupportedFieldsCheck.check(wrapper, path);
      if (!wrapper.hasConfig()) {
        throw ConfigException.at(Paths.field(path, "config"), "required");
      }
      HttpFilterConfig inner =
          perFilterConfigBare(name, wrapper.getConfig(), Paths.field(path, "config"));
      return wrapper.getIsOptional() ? new OptionalFilterConfig(inner) : inner;
    }
    return perFilterConfigBare(name, config, path);
  }

  private static HttpFilterConfig perFilterConfigBare(String name, Any inner, String at)
      throws ConfigException {
    String type = typeName(inner);
    if (type.equals(HTTP_FAULT)) {
      return FaultTranslator.translate(name, unpack(inner, HTTPFault.class, at), at);
    }
    if (type.equals(LOCAL_RATE_LIMIT)) {
      return LocalRateLimitTranslator.translate(
          name, unpack(inner, LocalRateLimit.class, at), true, at);
    }
    if (type.equals(RBAC_PER_ROUTE)) {
      return RbacFilterTranslator.perRoute(name, unpack(inner, RBACPerRoute.class, at), at);
    }
    if (PartitionTranslator.isTypedStruct(type)) {
      return typedStruct(name, inner, at);
    }
    throw ConfigException.at(
        at,
        "per-route config type \""
            + inner.getTypeUrl()
            + "\" not supported (supported: "
            + FaultFilterConfig.TYPE_URL
            + ", "
            + LocalRateLimitConfig.TYPE_URL
            + ", "
            + RbacPerRouteConfig.TYPE_URL
            + ", a TypedStruct of "
            + PartitionFilterConfig.TYPE_URL
            + ", or any of them inside "
            + FILTER_CONFIG_TYPE_URL
            + ")");
  }

  /** A TypedStruct: only the partition filter's {@code type_url} is known. */
  private static HttpFilterConfig typedStruct(String name, Any config, String path)
      throws ConfigException {
    PartitionTranslator.Unpacked struct = PartitionTranslator.unpack(config, path);
    if (struct.typeUrl().equals(PartitionFilterConfig.TYPE_URL)) {
      return PartitionTranslator.http(name, struct.value(), path);
    }
    throw ConfigException.at(
        Paths.field(path, "type_url"),
        "\""
            + struct.typeUrl()
            + "\" not supported in a TypedStruct (supported: "
            + PartitionFilterConfig.TYPE_URL
            + ")");
  }

  private static String typeName(Any any) {
    String url = any.getTypeUrl();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private static <T extends Message> T unpack(Any any, Class<T> type, String path)
      throws ConfigException {
    try {
      return Anys.unpack(any, type);
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(
          path, "cannot decode " + type.getSimpleName() + ": " + e.getMessage());
    }
  }
}
