package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.tls.FilterChainMatchConfig;
import java.util.List;

/**
 * Envoy's {@code listener.v3.Listener} for TCP.
 *
 * @param name unique among listeners; labels the {@code listener} statistics
 * @param address where to bind
 * @param filterChains the chains; a connection takes the one whose {@code filter_chain_match} it
 *     satisfies most specifically (server name, then transport protocol); no two chains have the
 *     same match
 * @param perConnectionBufferLimitBytes how many bytes may wait to be written on one connection
 *     before reading from its peer stops; Envoy's default is 1 MiB
 */
public record ListenerConfig(
    String name,
    SocketAddressConfig address,
    List<FilterChainConfig> filterChains,
    int perConnectionBufferLimitBytes) {

  public static final int DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES = 1024 * 1024;

  public ListenerConfig {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    filterChains = List.copyOf(requireNonNull(filterChains, "filterChains"));
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a unique listener name)");
    }
    if (filterChains.isEmpty()) {
      throw new IllegalArgumentException("filter_chains: empty (expected: one filter chain)");
    }
    java.util.Map<FilterChainMatchConfig, Integer> matches = new java.util.HashMap<>();
    for (int i = 0; i < filterChains.size(); i++) {
      Integer first = matches.putIfAbsent(filterChains.get(i).match(), i);
      if (first != null) {
        throw new IllegalArgumentException(
            "filter_chains: chains "
                + first
                + " and "
                + i
                + " have the same filter_chain_match (expected: distinct matches, as in Envoy)");
      }
    }
    if (perConnectionBufferLimitBytes < 1) {
      throw new IllegalArgumentException(
          "per_connection_buffer_limit_bytes: "
              + perConnectionBufferLimitBytes
              + " (expected: >= 1)");
    }
  }

  /** The first chain; the only one of a listener without filter-chain matching. */
  public FilterChainConfig defaultFilterChain() {
    return filterChains.get(0);
  }
}
