package io.outrigger.proxy.listener;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The filter chains of one listener version and how a connection picks one, as Envoy does with
 * {@code filter_chain_match}: first the server name (an exact name, then the longest matching
 * {@code *.domain}, then chains without {@code server_names}), then the transport protocol ({@code
 * tls} or {@code raw_buffer}, then chains without one). A listener with a single chain that matches
 * everything builds its connections at once; otherwise a {@link FilterChainSelector} reads the
 * first bytes (and the TLS ClientHello's SNI) before it chooses.
 *
 * <p>Threading: built on the configuration thread; {@link #initChannel} and {@link #select} run on
 * the connection's event loop and read immutable state.
 */
final class ListenerChains {
  private final List<FilterChainInitializer> chains;
  private final DownstreamStatsHandlerFactory stats;
  private final ConnectionTracker tracker;

  /** Makes the statistics handler that every connection gets first, before a chain is chosen. */
  @FunctionalInterface
  interface DownstreamStatsHandlerFactory {
    DownstreamStatsHandler create();
  }

  ListenerChains(
      List<FilterChainInitializer> chains,
      DownstreamStatsHandlerFactory stats,
      ConnectionTracker tracker) {
    this.chains = List.copyOf(requireNonNull(chains, "chains"));
    this.stats = requireNonNull(stats, "stats");
    this.tracker = requireNonNull(tracker, "tracker");
  }

  /** Completes when every chain can take connections (see {@link FilterChainInitializer#ready}). */
  CompletableFuture<Void> ready() {
    return CompletableFuture.allOf(
        chains.stream().map(FilterChainInitializer::ready).toArray(CompletableFuture[]::new));
  }

  /** This listener version takes no more connections. */
  void close() {
    chains.forEach(FilterChainInitializer::close);
  }

  /** Builds a new connection's pipeline, or the selector that will once the first bytes came. */
  void initChannel(Channel ch) {
    if (chains.size() == 1 && chains.get(0).config().match().isAny()) {
      chains.get(0).initChannel(ch);
      return;
    }
    tracker.add(ch);
    ch.pipeline().addLast("downstream-stats", stats.create());
    ch.pipeline().addLast("filter-chain-selector", new FilterChainSelector(this));
  }

  /**
   * The chain for a connection, or {@code null} when none matches (the connection is closed).
   *
   * @param serverName the SNI, lower case; {@code null} when none was sent or the connection is not
   *     TLS
   */
  FilterChainInitializer select(String serverName, TransportProtocol transport) {
    List<FilterChainInitializer> byName = byServerName(serverName);
    FilterChainInitializer fallback = null;
    for (FilterChainInitializer c : byName) {
      var wanted = c.config().match().transportProtocol();
      if (wanted.isPresent() && wanted.get() == transport) {
        return c;
      }
      if (wanted.isEmpty() && fallback == null) {
        fallback = c;
      }
    }
    return fallback;
  }

  private List<FilterChainInitializer> byServerName(String serverName) {
    if (serverName != null) {
      String name = serverName.toLowerCase(Locale.ROOT);
      List<FilterChainInitializer> exact = withServerName(name);
      if (!exact.isEmpty()) {
        return exact;
      }
      // *.example.com matches a.example.com and a.b.example.com; the longest suffix wins.
      for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        List<FilterChainInitializer> wildcard = withServerName("*" + name.substring(dot));
        if (!wildcard.isEmpty()) {
          return wildcard;
        }
      }
    }
    List<FilterChainInitializer> any = new ArrayList<>();
    for (FilterChainInitializer c : chains) {
      if (c.config().match().serverNames().isEmpty()) {
        any.add(c);
      }
    }
    return any;
  }

  private List<FilterChainInitializer> withServerName(String name) {
    List<FilterChainInitializer> out = new ArrayList<>();
    for (FilterChainInitializer c : chains) {
      FilterChainMatchConfig m = c.config().match();
      if (m.serverNames().contains(name)) {
        out.add(c);
      }
    }
    return out;
  }
}
