package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManagerProto;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.http.CodecType;
import io.outrigger.api.model.http.ForwardClientCertConfig;
import io.outrigger.api.model.http.HeadersWithUnderscoresAction;
import io.outrigger.api.model.http.Http2ProtocolOptionsConfig;
import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.HttpProtocolOptionsConfig;
import io.outrigger.api.model.http.OptionalFilterConfig;
import io.outrigger.api.model.http.RbacFilterConfig;
import io.outrigger.api.model.http.RbacPerRouteConfig;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.RouterFilterConfig;
import io.outrigger.api.model.http.VirtualHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Translates the {@code http_connection_manager} network filter's {@code HttpConnectionManager}
 * into {@link HttpConnectionManagerConfig}.
 */
public final class HttpConnectionManagerTranslator {
  /** The {@code typed_config} type URL that selects this filter. */
  public static final String TYPE_URL =
      ProtoTypes.typeUrl(HttpConnectionManagerProto.getDescriptor(), "HttpConnectionManager");

  private HttpConnectionManagerTranslator() {}

  /**
   * @param filterName the filter's {@code name}; empty means {@link
   *     HttpConnectionManagerConfig#FILTER_NAME}
   * @param proto the unpacked {@code typed_config}
   * @param path the path of the {@code typed_config}
   */
  public static HttpConnectionManagerConfig translate(
      String filterName, HttpConnectionManager proto, String path) throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    if (proto.getStatPrefix().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "stat_prefix"), "required");
    }
    RouteSource routes = routeSource(proto, path);
    List<HttpFilterConfig> filters = httpFilters(proto, path);
    checkPerFilterConfigs(routes, filters, path);
    HttpProtocolOptionsConfig common =
        proto.hasCommonHttpProtocolOptions()
            ? common(
                proto.getCommonHttpProtocolOptions(),
                Paths.field(path, "common_http_protocol_options"))
            : HttpProtocolOptionsConfig.DEFAULTS;
    Http2ProtocolOptionsConfig http2 =
        proto.hasHttp2ProtocolOptions()
            ? http2(proto.getHttp2ProtocolOptions(), Paths.field(path, "http2_protocol_options"))
            : Http2ProtocolOptionsConfig.DEFAULTS;
    int maxHeadersKb =
        proto.hasMaxRequestHeadersKb()
            ? uint32(
                proto.getMaxRequestHeadersKb().getValue(),
                Paths.field(path, "max_request_headers_kb"))
            : HttpConnectionManagerConfig.DEFAULT_MAX_REQUEST_HEADERS_KB;
    Duration streamIdle =
        proto.hasStreamIdleTimeout()
            ? ProtoValues.duration(
                proto.getStreamIdleTimeout(), Paths.field(path, "stream_idle_timeout"))
            : HttpConnectionManagerConfig.DEFAULT_STREAM_IDLE_TIMEOUT;
    Duration requestTimeout =
        proto.hasRequestTimeout()
            ? ProtoValues.duration(proto.getRequestTimeout(), Paths.field(path, "request_timeout"))
            : HttpConnectionManagerConfig.DEFAULT_REQUEST_TIMEOUT;
    Duration requestHeadersTimeout =
        proto.hasRequestHeadersTimeout()
            ? ProtoValues.duration(
                proto.getRequestHeadersTimeout(), Paths.field(path, "request_headers_timeout"))
            : Duration.ZERO;
    try {
      return new HttpConnectionManagerConfig(
          filterName.isEmpty() ? HttpConnectionManagerConfig.FILTER_NAME : filterName,
          proto.getStatPrefix(),
          codecType(proto, path),
          routes,
          filters,
          common,
          maxHeadersKb,
          streamIdle,
          requestTimeout,
          requestHeadersTimeout,
          http2,
          proto.hasUseRemoteAddress() && proto.getUseRemoteAddress().getValue(),
          uint32(proto.getXffNumTrustedHops(), Paths.field(path, "xff_num_trusted_hops")),
          !proto.hasGenerateRequestId() || proto.getGenerateRequestId().getValue(),
          proto.getServerName().isEmpty()
              ? HttpConnectionManagerConfig.DEFAULT_SERVER_NAME
              : proto.getServerName(),
          RouteActionTranslator.upgrades(proto.getUpgradeConfigsList(), path),
          proto.hasStreamErrorOnInvalidHttpMessage()
              && proto.getStreamErrorOnInvalidHttpMessage().getValue(),
          AccessLogTranslator.translate(proto.getAccessLogList(), path),
          forwardClientCert(proto, path),
          proto.hasTracing()
              ? Optional.of(
                  TracingTranslator.translate(proto.getTracing(), Paths.field(path, "tracing")))
              : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static ForwardClientCertConfig forwardClientCert(HttpConnectionManager proto, String path)
      throws ConfigException {
    ForwardClientCertConfig.Mode mode =
        switch (proto.getForwardClientCertDetails()) {
          case SANITIZE -> ForwardClientCertConfig.Mode.SANITIZE;
          case FORWARD_ONLY -> ForwardClientCertConfig.Mode.FORWARD_ONLY;
          case APPEND_FORWARD -> ForwardClientCertConfig.Mode.APPEND_FORWARD;
          case SANITIZE_SET -> ForwardClientCertConfig.Mode.SANITIZE_SET;
          case ALWAYS_FORWARD_ONLY -> ForwardClientCertConfig.Mode.ALWAYS_FORWARD_ONLY;
          default ->
              throw ConfigException.at(
                  Paths.field(path, "forward_client_cert_details"),
                  proto.getForwardClientCertDetails() + " not supported");
        };
    if (!proto.hasSetCurrentClientCertDetails()) {
      return new ForwardClientCertConfig(mode, false, false);
    }
    var set = proto.getSetCurrentClientCertDetails();
    String setPath = Paths.field(path, "set_current_client_cert_details");
    if (set.hasSubject() || set.getUri()) {
      if (mode != ForwardClientCertConfig.Mode.APPEND_FORWARD
          && mode != ForwardClientCertConfig.Mode.SANITIZE_SET) {
        throw ConfigException.at(
            setPath,
            "only with forward_client_cert_details APPEND_FORWARD or SANITIZE_SET (as in Envoy)");
      }
    }
    return new ForwardClientCertConfig(
        mode, set.hasSubject() && set.getSubject().getValue(), set.getUri());
  }

  private static CodecType codecType(HttpConnectionManager proto, String path)
      throws ConfigException {
    return switch (proto.getCodecType()) {
      case AUTO -> CodecType.AUTO;
      case HTTP1 -> CodecType.HTTP1;
      case HTTP2 -> CodecType.HTTP2;
      default ->
          throw ConfigException.at(
              Paths.field(path, "codec_type"),
              proto.getCodecType() + " not supported (expected: AUTO, HTTP1 or HTTP2)");
    };
  }

  private static RouteSource routeSource(HttpConnectionManager proto, String path)
      throws ConfigException {
    return switch (proto.getRouteSpecifierCase()) {
      case ROUTE_CONFIG ->
          new RouteSource.InlineRoutes(
              RouteConfigTranslator.translate(
                  proto.getRouteConfig(), Paths.field(path, "route_config")));
      case RDS -> {
        if (proto.getRds().getRouteConfigName().isEmpty()) {
          throw ConfigException.at(Paths.field(path, "rds.route_config_name"), "required");
        }
        if (proto.getRds().hasConfigSource()) {
          ConfigSourceTranslator.requireAds(
              proto.getRds().getConfigSource(), Paths.field(path, "rds.config_source"));
        }
        yield new RouteSource.Rds(proto.getRds().getRouteConfigName());
      }
      default -> throw ConfigException.at(path, "one of route_config or rds required");
    };
  }

  private static List<HttpFilterConfig> httpFilters(HttpConnectionManager proto, String path)
      throws ConfigException {
    if (proto.getHttpFiltersCount() == 0) {
      throw ConfigException.at(
          Paths.field(path, "http_filters"), "required (expected: the router filter last)");
    }
    List<HttpFilterConfig> filters = new ArrayList<>();
    for (int i = 0; i < proto.getHttpFiltersCount(); i++) {
      String at = Paths.item(path, "http_filters", i);
      HttpFilterConfig filter = httpFilter(proto.getHttpFilters(i), at);
      if (filter instanceof RouterFilterConfig && i < proto.getHttpFiltersCount() - 1) {
        throw ConfigException.at(
            at, "the router is a terminal filter and must be the last http filter");
      }
      filters.add(filter);
    }
    if (!(filters.get(filters.size() - 1) instanceof RouterFilterConfig)) {
      throw ConfigException.at(
          Paths.item(path, "http_filters", filters.size() - 1),
          "the last http filter must be the router (" + RouterFilterConfig.TYPE_URL + ")");
    }
    return filters;
  }

  private static HttpFilterConfig httpFilter(HttpFilter filter, String path)
      throws ConfigException {
    String configPath = Paths.field(path, "typed_config");
    if (!filter.hasTypedConfig()) {
      throw ConfigException.at(configPath, "required");
    }
    return HttpFilterTranslator.filter(filter.getName(), filter.getTypedConfig(), configPath);
  }

  /**
   * Every {@code typed_per_filter_config} entry of the inline routes must name an HTTP filter of
   * this chain, of the same type: an entry for a filter that is not there would otherwise be
   * silently unused.
   */
  private static void checkPerFilterConfigs(
      RouteSource routes, List<HttpFilterConfig> filters, String path) throws ConfigException {
    if (!(routes instanceof RouteSource.InlineRoutes inline)) {
      return;
    }
    Map<String, HttpFilterConfig> byName = new HashMap<>();
    for (HttpFilterConfig f : filters) {
      byName.putIfAbsent(f.name(), f);
    }
    String at = Paths.field(path, "route_config");
    List<VirtualHost> hosts = inline.routeConfig().virtualHosts();
    for (int h = 0; h < hosts.size(); h++) {
      String hostPath = Paths.item(at, "virtual_hosts", h);
      checkNames(hosts.get(h).typedPerFilterConfig(), byName, hostPath);
      List<Route> rs = hosts.get(h).routes();
      for (int r = 0; r < rs.size(); r++) {
        checkNames(rs.get(r).typedPerFilterConfig(), byName, Paths.item(hostPath, "routes", r));
      }
    }
  }

  private static void checkNames(
      Map<String, HttpFilterConfig> perFilter, Map<String, HttpFilterConfig> chain, String path)
      throws ConfigException {
    for (Map.Entry<String, HttpFilterConfig> e : new TreeMap<>(perFilter).entrySet()) {
      String at = Paths.field(path, "typed_per_filter_config[\"" + e.getKey() + "\"]");
      HttpFilterConfig filter = chain.get(e.getKey());
      if (filter == null && e.getValue() instanceof OptionalFilterConfig) {
        continue; // Envoy ignores an optional entry for a filter the chain does not have.
      }
      HttpFilterConfig entry = OptionalFilterConfig.unwrap(e.getValue());
      if (filter == null) {
        throw ConfigException.at(
            at,
            "no http filter named \""
                + e.getKey()
                + "\" in http_filters (expected: one of "
                + new TreeMap<>(chain).keySet()
                + ")");
      }
      if (filter.getClass() != filterClass(entry)) {
        throw ConfigException.at(
            at,
            "http filter \""
                + e.getKey()
                + "\" is a "
                + filter.typeUrl()
                + ", not a "
                + entry.typeUrl());
      }
    }
  }

  /** The class of the filter a per-route entry belongs to: RBAC's has its own per-route type. */
  private static Class<?> filterClass(HttpFilterConfig entry) {
    return entry instanceof RbacPerRouteConfig ? RbacFilterConfig.class : entry.getClass();
  }

  private static HttpProtocolOptionsConfig common(HttpProtocolOptions proto, String path)
      throws ConfigException {
    Duration idle =
        proto.hasIdleTimeout()
            ? ProtoValues.duration(proto.getIdleTimeout(), Paths.field(path, "idle_timeout"))
            : HttpProtocolOptionsConfig.DEFAULT_IDLE_TIMEOUT;
    int maxHeaders =
        proto.hasMaxHeadersCount()
            ? uint32(proto.getMaxHeadersCount().getValue(), Paths.field(path, "max_headers_count"))
            : HttpProtocolOptionsConfig.DEFAULT_MAX_HEADERS_COUNT;
    Duration maxStream =
        proto.hasMaxStreamDuration()
            ? ProtoValues.duration(
                proto.getMaxStreamDuration(), Paths.field(path, "max_stream_duration"))
            : Duration.ZERO;
    Duration maxConnection =
        proto.hasMaxConnectionDuration()
            ? ProtoValues.duration(
                proto.getMaxConnectionDuration(), Paths.field(path, "max_connection_duration"))
            : Duration.ZERO;
    int maxRequests =
        proto.hasMaxRequestsPerConnection()
            ? uint32(
                proto.getMaxRequestsPerConnection().getValue(),
                Paths.field(path, "max_requests_per_connection"))
            : 0;
    HeadersWithUnderscoresAction underscores =
        switch (proto.getHeadersWithUnderscoresAction()) {
          case ALLOW -> HeadersWithUnderscoresAction.ALLOW;
          case REJECT_REQUEST -> HeadersWithUnderscoresAction.REJECT_REQUEST;
          case DROP_HEADER -> HeadersWithUnderscoresAction.DROP_HEADER;
          default ->
              throw ConfigException.at(
                  Paths.field(path, "headers_with_underscores_action"),
                  "unknown value " + proto.getHeadersWithUnderscoresActionValue());
        };
    try {
      return new HttpProtocolOptionsConfig(
          idle, maxHeaders, maxStream, maxConnection, maxRequests, underscores);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static Http2ProtocolOptionsConfig http2(Http2ProtocolOptions proto, String path)
      throws ConfigException {
    try {
      return new Http2ProtocolOptionsConfig(
          proto.hasMaxConcurrentStreams()
              ? uint32(
                  proto.getMaxConcurrentStreams().getValue(),
                  Paths.field(path, "max_concurrent_streams"))
              : Http2ProtocolOptionsConfig.DEFAULT_MAX_CONCURRENT_STREAMS,
          proto.hasInitialStreamWindowSize()
              ? uint32(
                  proto.getInitialStreamWindowSize().getValue(),
                  Paths.field(path, "initial_stream_window_size"))
              : Http2ProtocolOptionsConfig.DEFAULT_INITIAL_STREAM_WINDOW_SIZE,
          proto.hasInitialConnectionWindowSize()
              ? uint32(
                  proto.getInitialConnectionWindowSize().getValue(),
                  Paths.field(path, "initial_connection_window_size"))
              : Http2ProtocolOptionsConfig.DEFAULT_INITIAL_CONNECTION_WINDOW_SIZE);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** A uint32 that must fit a Java int; the model checks the field's own range. */
  private static int uint32(int value, String path) throws ConfigException {
    if (value < 0) {
      throw ConfigException.at(
          path, Integer.toUnsignedString(value) + " (expected: at most " + Integer.MAX_VALUE + ")");
    }
    return value;
  }
}
