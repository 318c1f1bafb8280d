package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.tls.FilterChainMatchConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Envoy's {@code listener.v3.Listener} for TCP.
 *
 * @param name unique among listeners; labels the {@code listener} statistics
 * @param address where to bind; with {@code bindToPort} false, the address whose redirected
 *     connections a {@code use_original_dst} listener hands over
 * @param filterChains the chains; a connection takes the one whose {@code filter_chain_match} it
 *     satisfies most specifically (see {@link FilterChainMatchConfig}); no two chains have the same
 *     match; may be empty only when {@code defaultFilterChain} is present
 * @param perConnectionBufferLimitBytes how many bytes may wait to be written on one connection
 *     before reading from its peer stops; Envoy's default is 1 MiB
 * @param listenerFilters {@code listener_filters}, run in order on each accepted connection before
 *     a chain is chosen; default none
 * @param listenerFiltersTimeout {@code listener_filters_timeout}: how long the listener filters may
 *     wait for bytes; default 15 s; zero waits for ever
 * @param continueOnListenerFiltersTimeout {@code continue_on_listener_filters_timeout}: on the
 *     timeout, choose a chain with what is known (true) or close the connection (false, the
 *     default)
 * @param useOriginalDst {@code use_original_dst}: a connection whose original destination was
 *     restored goes to the listener bound to that address (exact address, then {@code 0.0.0.0} or
 *     {@code ::} with its port), if any; default false
 * @param bindToPort {@code bind_to_port}: false makes a listener that binds nothing and only takes
 *     connections handed over by a {@code use_original_dst} listener; default true
 * @param defaultFilterChain {@code default_filter_chain}: the chain of connections that no chain
 *     matches; default empty, such connections are closed
 */
public record ListenerConfig(
    String name,
    SocketAddressConfig address,
    List<FilterChainConfig> filterChains,
    int perConnectionBufferLimitBytes,
    List<ListenerFilterConfig> listenerFilters,
    Duration listenerFiltersTimeout,
    boolean continueOnListenerFiltersTimeout,
    boolean useOriginalDst,
    boolean bindToPort,
    Optional<FilterChainConfig> defaultFilterChain) {

  public static final int DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_LISTENER_FILTERS_TIMEOUT = Duration.ofSeconds(15);

  public ListenerConfig {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    filterChains = List.copyOf(requireNonNull(filterChains, "filterChains"));
    listenerFilters = List.copyOf(requireNonNull(listenerFilters, "listenerFilters"));
    requireNonNull(listenerFiltersTimeout, "listenerFiltersTimeout");
    requireNonNull(defaultFilterChain, "defaultFilterChain");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a unique listener name)");
    }
    if (filterChains.isEmpty() && defaultFilterChain.isEmpty()) {
      throw new IllegalArgumentException(
          "filter_chains: empty (expected: one filter chain, or a default_filter_chain)");
    }
    if (listenerFiltersTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "listener_filters_timeout: " + listenerFiltersTimeout + " (expected: >= 0s)");
    }
    requireDistinctMatches(filterChains);
    if (perConnectionBufferLimitBytes < 1) {
      throw new IllegalArgumentException(
          "per_connection_buffer_limit_bytes: "
              + perConnectionBufferLimitBytes
              + " (expected: >= 1)");
    }
  }

  /** A listener without listener filters, hand-off or default chain: the form it had before. */
  public ListenerConfig(
      String name,
      SocketAddressConfig address,
      List<FilterChainConfig> filterChains,
      int perConnectionBufferLimitBytes) {
    this(
        name,
        address,
        filterChains,
        perConnectionBufferLimitBytes,
        List.of(),
        DEFAULT_LISTENER_FILTERS_TIMEOUT,
        false,
        false,
        true,
        Optional.empty());
  }

  private static void requireDistinctMatches(List<FilterChainConfig> filterChains) {
    Map<FilterChainMatchConfig, Integer> matches = new HashMap<>();
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
  }

  /** The first chain, or the default chain of a listener that has only that. */
  public FilterChainConfig firstFilterChain() {
    return filterChains.isEmpty() ? defaultFilterChain.orElseThrow() : filterChains.get(0);
  }

  /** Every chain: {@link #filterChains()}, then the default chain if any. */
  public List<FilterChainConfig> allFilterChains() {
    List<FilterChainConfig> all = new ArrayList<>(filterChains);
    defaultFilterChain.ifPresent(all::add);
    return all;
  }

  /** Whether a listener filter of {@code kind} is configured. */
  public boolean hasListenerFilter(ListenerFilterConfig.Kind kind) {
    return listenerFilters.stream().anyMatch(f -> f.kind() == kind);
  }
}
