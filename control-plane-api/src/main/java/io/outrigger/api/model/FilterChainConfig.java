package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.tls.DownstreamTlsConfig;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import java.util.List;
import java.util.Optional;

/**
 * Envoy's {@code listener.v3.FilterChain}: which connections take it ({@code filter_chain_match}),
 * how they are decrypted ({@code transport_socket}), and the network filters they pass through, the
 * last one terminal.
 *
 * @param name the chain's name; may be empty
 * @param filters the network filters in order; not empty, the last one terminal
 * @param match {@code filter_chain_match}; default {@link FilterChainMatchConfig#ANY}
 * @param tls {@code transport_socket} {@code envoy.transport_sockets.tls}; default empty, plaintext
 */
public record FilterChainConfig(
    String name,
    List<NetworkFilterConfig> filters,
    FilterChainMatchConfig match,
    Optional<DownstreamTlsConfig> tls) {
  public FilterChainConfig {
    requireNonNull(name, "name");
    filters = List.copyOf(requireNonNull(filters, "filters"));
    requireNonNull(match, "match");
    requireNonNull(tls, "tls");
    if (filters.isEmpty()) {
      throw new IllegalArgumentException("filters: empty (expected: at least a terminal filter)");
    }
  }

  /** A plaintext chain that takes every connection. */
  public FilterChainConfig(String name, List<NetworkFilterConfig> filters) {
    this(name, filters, FilterChainMatchConfig.ANY, Optional.empty());
  }

  /** The filter that ends the chain and owns the connection's upstream side. */
  public NetworkFilterConfig terminalFilter() {
    return filters.get(filters.size() - 1);
  }
}
