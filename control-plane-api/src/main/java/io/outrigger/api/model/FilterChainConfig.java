package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Envoy's {@code listener.v3.FilterChain}: the network filters a connection passes through, the
 * last one terminal.
 *
 * @param name the chain's name; may be empty
 * @param filters the network filters in order; not empty, the last one terminal
 */
public record FilterChainConfig(String name, List<NetworkFilterConfig> filters) {
  public FilterChainConfig {
    requireNonNull(name, "name");
    filters = List.copyOf(requireNonNull(filters, "filters"));
    if (filters.isEmpty()) {
      throw new IllegalArgumentException("filters: empty (expected: at least a terminal filter)");
    }
  }

  /** The filter that ends the chain and owns the connection's upstream side. */
  public NetworkFilterConfig terminalFilter() {
    return filters.get(filters.size() - 1);
  }
}
