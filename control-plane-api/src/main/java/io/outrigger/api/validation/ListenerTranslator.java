package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit;
import io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimitProto;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManagerProto;
import io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RbacProto;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxyProto;
import io.outrigger.api.model.ConnectionLimitFilterConfig;
import io.outrigger.api.model.FilterChainConfig;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.RbacNetworkFilterConfig;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.api.model.tls.DownstreamTlsConfig;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates {@code listener.v3.Listener} (TCP; filter chains told apart by {@code
 * filter_chain_match}, each plaintext or TLS, each ending in {@code tcp_proxy} or {@code
 * http_connection_manager}, optionally after {@code outrigger.filters.network.partition} and {@code
 * envoy.filters.network.rbac}) into {@link ListenerConfig}, with its listener filters ({@link
 * ListenerFilterTranslator}), {@code use_original_dst}, {@code bind_to_port} and {@code
 * default_filter_chain}.
 */
public final class ListenerTranslator {
  // Full names, not the generated classes' getDescriptor(): only the filter a chain holds is
  // loaded.
  private static final String TCP_PROXY =
      ProtoTypes.message(TcpProxyProto.getDescriptor(), "TcpProxy").getFullName();
  private static final String HTTP_CONNECTION_MANAGER =
      ProtoTypes.message(HttpConnectionManagerProto.getDescriptor(), "HttpConnectionManager")
          .getFullName();
  private static final String CONNECTION_LIMIT =
      ProtoTypes.message(ConnectionLimitProto.getDescriptor(), "ConnectionLimit").getFullName();
  private static final String NETWORK_RBAC =
      ProtoTypes.message(RbacProto.getDescriptor(), "RBAC").getFullName();

  private ListenerTranslator() {}

  /**
   * @param proto a static listener or an LDS resource
   * @param path where it sits, e.g. {@code static_resources.listeners[0]}
   */
  public static ListenerConfig translate(Listener proto, String path) throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    if (proto.getName().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "name"), "required");
    }
    if (!proto.hasAddress()) {
      throw ConfigException.at(Paths.field(path, "address"), "required");
    }
    SocketAddressConfig address =
        AddressTranslator.translateBind(proto.getAddress(), Paths.field(path, "address"));
    List<FilterChainConfig> chains = new ArrayList<>();
    for (int i = 0; i < proto.getFilterChainsCount(); i++) {
      chains.add(translateChain(proto.getFilterChains(i), Paths.item(path, "filter_chains", i)));
    }
    Optional<FilterChainConfig> defaultChain =
        proto.hasDefaultFilterChain()
            ? Optional.of(
                translateChain(
                    proto.getDefaultFilterChain(), Paths.field(path, "default_filter_chain")))
            : Optional.empty();
    if (chains.isEmpty() && defaultChain.isEmpty()) {
      throw ConfigException.at(
          Paths.field(path, "filter_chains"),
          "required (expected: at least one, or a default_filter_chain)");
    }
    int bufferLimit =
        proto.hasPerConnectionBufferLimitBytes()
            ? ProtoValues.positiveInt(
                proto.getPerConnectionBufferLimitBytes(),
                Paths.field(path, "per_connection_buffer_limit_bytes"))
            : ListenerConfig.DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES;
    try {
      return new ListenerConfig(
          proto.getName(),
          address,
          chains,
          bufferLimit,
          ListenerFilterTranslator.translate(proto.getListenerFiltersList(), path),
          proto.hasListenerFiltersTimeout()
              ? ProtoValues.duration(
                  proto.getListenerFiltersTimeout(), Paths.field(path, "listener_filters_timeout"))
              : ListenerConfig.DEFAULT_LISTENER_FILTERS_TIMEOUT,
          proto.getContinueOnListenerFiltersTimeout(),
          proto.hasUseOriginalDst() && proto.getUseOriginalDst().getValue(),
          bindToPort(proto, path),
          defaultChain);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** {@code bind_to_port}, or its older spelling {@code deprecated_v1.bind_to_port}; not both. */
  private static boolean bindToPort(Listener proto, String path) throws ConfigException {
    boolean v1 = proto.hasDeprecatedV1() && proto.getDeprecatedV1().hasBindToPort();
    if (v1 && proto.hasBindToPort()) {
      throw ConfigException.at(
          Paths.field(path, "deprecated_v1.bind_to_port"),
          "set together with bind_to_port (expected: one of them)");
    }
    if (v1) {
      return proto.getDeprecatedV1().getBindToPort().getValue();
    }
    return !proto.hasBindToPort() || proto.getBindToPort().getValue();
  }

  private static FilterChainConfig translateChain(FilterChain chain, String path)
      throws ConfigException {
    if (chain.getFiltersCount() == 0) {
      throw ConfigException.at(
          Paths.field(path, "filters"),
          "required (expected: a tcp_proxy or http_connection_manager filter last)");
    }
    List<NetworkFilterConfig> filters = new ArrayList<>();
    for (int i = 0; i < chain.getFiltersCount(); i++) {
      String filterPath = Paths.item(path, "filters", i);
      NetworkFilterConfig filter = translateFilter(chain.getFilters(i), filterPath);
      boolean terminal =
          !(filter instanceof PartitionNetworkFilterConfig
              || filter instanceof RbacNetworkFilterConfig
              || filter instanceof ConnectionLimitFilterConfig);
      if (terminal && i < chain.getFiltersCount() - 1) {
        String kind = filter instanceof TcpProxyConfig ? "tcp_proxy" : "http_connection_manager";
        throw ConfigException.at(
            filterPath, kind + " is a terminal filter and must be the last filter of the chain");
      }
      if (!terminal && i == chain.getFiltersCount() - 1) {
        throw ConfigException.at(
            filterPath,
            filter.name()
                + " is not a terminal filter (expected: a tcp_proxy or http_connection_manager"
                + " after it)");
      }
      filters.add(filter);
    }
    FilterChainMatchConfig match =
        chain.hasFilterChainMatch()
            ? FilterChainMatchTranslator.translate(
                chain.getFilterChainMatch(), Paths.field(path, "filter_chain_match"))
            : FilterChainMatchConfig.ANY;
    Optional<DownstreamTlsConfig> tls =
        chain.hasTransportSocket()
            ? Optional.of(
                TlsTranslator.downstream(
                    chain.getTransportSocket(), Paths.field(path, "transport_socket")))
            : Optional.empty();
    try {
      return new FilterChainConfig(chain.getName(), filters, match, tls);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static NetworkFilterConfig translateFilter(Filter filter, String path)
      throws ConfigException {
    String configPath = Paths.field(path, "typed_config");
    if (!filter.hasTypedConfig()) {
      throw ConfigException.at(configPath, "required");
    }
    Any config = filter.getTypedConfig();
    String typeUrl = config.getTypeUrl();
    String typeName = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    try {
      if (typeName.equals(TCP_PROXY)) {
        return TcpProxyTranslator.translate(
            filter.getName(), Anys.unpack(config, TcpProxy.class), configPath);
      }
      if (typeName.equals(HTTP_CONNECTION_MANAGER)) {
        return HttpConnectionManagerTranslator.translate(
            filter.getName(), Anys.unpack(config, HttpConnectionManager.class), configPath);
      }
      if (typeName.equals(NETWORK_RBAC)) {
        return RbacFilterTranslator.network(
            filter.getName(),
            Anys.unpack(config, io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class),
            configPath);
      }
      if (typeName.equals(CONNECTION_LIMIT)) {
        return ConnectionLimitTranslator.translate(
            filter.getName(), Anys.unpack(config, ConnectionLimit.class), configPath);
      }
      if (PartitionTranslator.isTypedStruct(typeName)) {
        return typedStruct(filter.getName(), config, configPath);
      }
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(configPath, "cannot decode " + typeName + ": " + e.getMessage());
    }
    throw ConfigException.at(
        configPath,
        "filter type \""
            + typeUrl
            + "\" not supported (supported: "
            + TcpProxyTranslator.TYPE_URL
            + ", "
            + HttpConnectionManagerTranslator.TYPE_URL
            + ", "
            + RbacNetworkFilterConfig.TYPE_URL
            + ", "
            + ConnectionLimitFilterConfig.TYPE_URL
            + ", "
            + PartitionTranslator.TYPED_STRUCT_URL
            + " of "
            + PartitionNetworkFilterConfig.TYPE_URL
            + ")");
  }

  private static NetworkFilterConfig typedStruct(String name, Any config, String path)
      throws ConfigException {
    PartitionTranslator.Unpacked struct = PartitionTranslator.unpack(config, path);
    if (struct.typeUrl().equals(PartitionNetworkFilterConfig.TYPE_URL)) {
      return PartitionTranslator.network(name, struct.value(), path);
    }
    throw ConfigException.at(
        Paths.field(path, "type_url"),
        "\""
            + struct.typeUrl()
            + "\" not supported in a TypedStruct (supported: "
            + PartitionNetworkFilterConfig.TYPE_URL
            + ")");
  }
}
