package io.outrigger.proxy.listener;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.listener.filter.ListenerFilter;
import io.outrigger.proxy.stats.ListenerStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener version: its listener filters, its filter chains and how a connection picks one
 * ({@link FilterChainMatcher}, then {@code default_filter_chain}), and the {@code use_original_dst}
 * hand-off to the listener of a connection's original destination. A listener with no listener
 * filter, no hand-off and a single chain that matches everything builds its connections at once;
 * otherwise a {@link ListenerFilterHandler} runs first.
 *
 * <p>Threading: built on the configuration thread; {@link #initChannel} and {@link #complete} run
 * on the connection's event loop and read immutable state (the hand-off looks listeners up in the
 * manager's volatile snapshot).
 */
final class ListenerChains {
  private static final Logger log = LoggerFactory.getLogger(ListenerChains.class);

  private final String name;
  private final List<FilterChainInitializer> chains;
  private final List<FilterChainMatchConfig> matches;
  private final FilterChainInitializer defaultChain;
  private final Settings settings;
  private final ConnectionTracker tracker;

  /**
   * What a listener version adds to its chains.
   *
   * @param filters the listener filters, in order (the implicit TLS inspector included)
   * @param timeout {@code listener_filters_timeout}; zero waits for ever
   * @param continueOnTimeout {@code continue_on_listener_filters_timeout}
   * @param useOriginalDst {@code use_original_dst}
   * @param stats the listener's statistics
   * @param handOff finds the listener of an original destination
   */
  record Settings(
      List<ListenerFilter> filters,
      Duration timeout,
      boolean continueOnTimeout,
      boolean useOriginalDst,
      ListenerStats stats,
      HandOff handOff) {
    Settings {
      filters = List.copyOf(filters);
      requireNonNull(timeout, "timeout");
      requireNonNull(stats, "stats");
      requireNonNull(handOff, "handOff");
    }
  }

  /** Finds the listener that takes connections for an address ({@code use_original_dst}). */
  @FunctionalInterface
  interface HandOff {
    /**
     * The current version of the listener for {@code destination}: the one on exactly that address,
     * else the one on the wildcard address with its port; {@code null} when none.
     */
    ListenerChains find(InetSocketAddress destination);
  }

  /**
   * @param chains the {@code filter_chains}
   * @param defaultChain {@code default_filter_chain}, or {@code null}
   */
  ListenerChains(
      String name,
      List<FilterChainInitializer> chains,
      FilterChainInitializer defaultChain,
      Settings settings,
      ConnectionTracker tracker) {
    this.name = requireNonNull(name, "name");
    this.chains = List.copyOf(requireNonNull(chains, "chains"));
    this.matches = this.chains.stream().map(c -> c.config().match()).toList();
    this.defaultChain = defaultChain;
    this.settings = requireNonNull(settings, "settings");
    this.tracker = requireNonNull(tracker, "tracker");
  }

  /** Completes when every chain can take connections (see {@link FilterChainInitializer#ready}). */
  CompletableFuture<Void> ready() {
    return CompletableFuture.allOf(
        all().stream().map(FilterChainInitializer::ready).toArray(CompletableFuture[]::new));
  }

  /** This listener version takes no more connections. */
  /** This version of the listener now takes connections. */
  void activated() {
    all().forEach(FilterChainInitializer::activated);
  }

  void close() {
    all().forEach(FilterChainInitializer::close);
  }

  private List<FilterChainInitializer> all() {
    List<FilterChainInitializer> all = new ArrayList<>(chains);
    if (defaultChain != null) {
      all.add(defaultChain);
    }
    return all;
  }

  List<ListenerFilter> listenerFilters() {
    return settings.filters();
  }

  long listenerFiltersTimeoutMillis() {
    return settings.timeout().toMillis();
  }

  boolean continueOnListenerFiltersTimeout() {
    return settings.continueOnTimeout();
  }

  ListenerStats stats() {
    return settings.stats();
  }

  /** Builds a new connection's pipeline, or the listener filters that will once they are done. */
  void initChannel(Channel ch) {
    if (settings.filters().isEmpty()
        && !settings.useOriginalDst()
        && defaultChain == null
        && chains.size() == 1
        && chains.get(0).config().match().isAny()) {
      chains.get(0).initChannel(ch);
      return;
    }
    tracker.add(ch);
    ch.pipeline().addLast("listener-filters", new ListenerFilterHandler(this, true));
  }

  /**
   * The listener filters are done: hands the connection over ({@code use_original_dst}), or
   * installs the chain it matches, after the handler of {@code ctx}, and fires {@code
   * channelActive} to it. Closes the connection when no chain matches.
   *
   * @param handOff whether a hand-off is allowed (not for a connection handed over already)
   * @return whether the connection goes on (the caller then leaves the pipeline)
   */
  boolean complete(ChannelHandlerContext ctx, ConnectionFacts facts, boolean handOff) {
    if (handOff && settings.useOriginalDst() && facts.originalDestination() != null) {
      ListenerChains target = settings.handOff().find(facts.originalDestination());
      if (target != null && target != this) {
        log.debug(
            "listener {}: {} handed to listener {}",
            name,
            facts.originalDestination(),
            target.name);
        ctx.pipeline()
            .addAfter(
                ctx.name(),
                "listener-filters-" + target.name,
                new ListenerFilterHandler(target, false));
        ctx.fireChannelActive();
        return true;
      }
    }
    FilterChainInitializer chain = select(facts);
    if (chain == null) {
      log.debug(
          "listener {}: no filter chain matches {} (destination {}, server name {}, {}): closing",
          name,
          facts.remoteAddress(),
          facts.destination(),
          facts.serverName(),
          facts.transportProtocol().configName());
      settings.stats().noFilterChainMatch();
      ctx.close();
      return false;
    }
    chain.installChain(ctx.channel(), settings.stats());
    ctx.fireChannelActive();
    return true;
  }

  /** The chain for a connection, the default chain, or {@code null} when none matches. */
  FilterChainInitializer select(ConnectionFacts facts) {
    int i = FilterChainMatcher.select(matches, facts);
    return i >= 0 ? chains.get(i) : defaultChain;
  }
}
