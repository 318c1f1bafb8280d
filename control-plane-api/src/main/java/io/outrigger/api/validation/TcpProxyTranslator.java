package io.outrigger.api.validation;

import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxyProto;
import io.outrigger.api.model.TcpProxyConfig;
import java.time.Duration;

/**
 * Translates the {@code tcp_proxy} network filter's {@code TcpProxy} into {@link TcpProxyConfig}.
 */
public final class TcpProxyTranslator {
  /** The {@code typed_config} type URL that selects this filter. */
  public static final String TYPE_URL =
      ProtoTypes.typeUrl(TcpProxyProto.getDescriptor(), "TcpProxy");

  private TcpProxyTranslator() {}

  /**
   * @param filterName the filter's {@code name}; empty means {@link TcpProxyConfig#FILTER_NAME}
   * @param proto the unpacked {@code typed_config}
   * @param path the path of the {@code typed_config}, e.g. {@code
   *     static_resources.listeners[0].filter_chains[0].filters[0].typed_config}
   */
  public static TcpProxyConfig translate(String filterName, TcpProxy proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    if (proto.getStatPrefix().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "stat_prefix"), "required");
    }
    if (proto.getCluster().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "cluster"), "required");
    }
    Duration idleTimeout =
        proto.hasIdleTimeout()
            ? ProtoValues.duration(proto.getIdleTimeout(), Paths.field(path, "idle_timeout"))
            : TcpProxyConfig.DEFAULT_IDLE_TIMEOUT;
    int maxConnectAttempts =
        proto.hasMaxConnectAttempts()
            ? ProtoValues.positiveInt(
                proto.getMaxConnectAttempts(), Paths.field(path, "max_connect_attempts"))
            : TcpProxyConfig.DEFAULT_MAX_CONNECT_ATTEMPTS;
    String name = filterName.isEmpty() ? TcpProxyConfig.FILTER_NAME : filterName;
    try {
      return new TcpProxyConfig(
          name,
          proto.getStatPrefix(),
          proto.getCluster(),
          idleTimeout,
          maxConnectAttempts,
          AccessLogTranslator.translate(proto.getAccessLogList(), path));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
