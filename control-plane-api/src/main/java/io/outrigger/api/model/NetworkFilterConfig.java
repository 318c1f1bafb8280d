package io.outrigger.api.model;

/**
 * One network filter of a listener's filter chain, translated from its {@code typed_config}.
 *
 * <p>Sealed: a filter name the translator does not know never reaches the data plane, it is refused
 * at validation. Only {@code tcp_proxy} and {@code http_connection_manager} are terminal.
 */
public sealed interface NetworkFilterConfig
    permits TcpProxyConfig,
        HttpConnectionManagerConfig,
        PartitionNetworkFilterConfig,
        RbacNetworkFilterConfig,
        ConnectionLimitFilterConfig {
  /** The filter's name as written in the config, e.g. {@code envoy.filters.network.tcp_proxy}. */
  String name();
}
