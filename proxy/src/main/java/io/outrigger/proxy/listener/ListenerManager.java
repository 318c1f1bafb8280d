package io.outrigger.proxy.listener;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.filters.network.partition.PartitionBoard;
import io.outrigger.proxy.accesslog.AccessLogFactory;
import io.outrigger.proxy.http.RouteConfigProvider;
import io.outrigger.proxy.listener.filter.OriginalDestinationReader;
import io.outrigger.proxy.overload.OverloadManager;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tls.CertificateWatcher;
import io.outrigger.proxy.tls.TlsManager;
import io.outrigger.proxy.tracing.TracerProviders;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the listeners and accepts their connections, and applies listener updates (LDS).
 *
 * <p>With epoll every listener gets one server socket per event loop, all bound to the same port
 * with {@code SO_REUSEPORT}: the kernel spreads new connections over the loops and a connection
 * stays on the loop that accepted it, with its upstream. With NIO one server socket feeds all
 * loops.
 *
 * <p>Updates ({@link #applyListeners}): a listener changed on the same address keeps its sockets
 * and swaps its filter chain for new connections ({@link SwitchingInitializer}); one whose address
 * changed binds the new address, then stops accepting on the old; a vanished one stops accepting.
 * In every case the open connections finish on the chain they were built with (they drain) and
 * close by themselves or at the sidecar's stop. A new or changed listener whose connection manager
 * uses {@code rds}, or whose TLS context names a Secret over SDS, warms — keeps its previous
 * version, or stays unbound — until its route configuration and its secrets arrive.
 *
 * <p>Threading: the public methods are called on the start-up or configuration thread, never on an
 * event loop (binding waits for the bind); they synchronize on this object. Accepting reads only
 * the volatile chain of each listener.
 */
public final class ListenerManager {
  private static final Logger log = LoggerFactory.getLogger(ListenerManager.class);

  private final Transport transport;
  private final EventLoopGroup workers;
  private final ClusterManager clusters;
  private final ProxyStats stats;
  private final Function<EventLoop, PoolManager> pools;
  private final RandomGenerator random;
  private final AccessLogFactory accessLogs;
  private final RouteConfigProvider rds;
  private final TlsManager tls;
  private final TracerProviders tracers;
  private final Duration warmingTimeout;
  private final OverloadManager overload;
  private final ConnectionTracker connections = new ConnectionTracker();

  /** The partition rules in force, for connections opened under an earlier configuration. */
  private final PartitionBoard partitions = new PartitionBoard();

  private final Map<String, Bound> active = new LinkedHashMap<>();
  private final Map<String, Warming> warming = new LinkedHashMap<>();
  private final Set<String> staticNames = new HashSet<>();
  private final ListenerAddresses addresses = new ListenerAddresses();
  private final OriginalDestinationReader originalDestinations;

  /** A listener's sockets and the switch that builds its connections. */
  private record Bound(ActiveListener listener, SwitchingInitializer initializer) {}

  /** A listener version that waits for its routes. */
  private record Warming(ListenerConfig config, ListenerChains chain) {}

  /**
   * Listeners of a static bootstrap: routes are inline, certificate files are polled every second
   * by a TLS manager of their own, no tracing.
   */
  public ListenerManager(
      Transport transport,
      EventLoopGroup workers,
      ClusterManager clusters,
      ProxyStats stats,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random,
      AccessLogFactory accessLogs) {
    this(
        transport,
        workers,
        clusters,
        stats,
        pools,
        random,
        accessLogs,
        new RouteConfigProvider(),
        ClusterManager.DEFAULT_WARMING_TIMEOUT,
        new TlsManager(stats.registry(), Clock.systemUTC(), CertificateWatcher.DEFAULT_INTERVAL));
  }

  /** Listeners with the sidecar's TLS manager (and its secrets), no tracing. */
  public ListenerManager(
      Transport transport,
      EventLoopGroup workers,
      ClusterManager clusters,
      ProxyStats stats,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random,
      AccessLogFactory accessLogs,
      RouteConfigProvider rds,
      Duration warmingTimeout,
      TlsManager tls) {
    this(
        transport,
        workers,
        clusters,
        stats,
        pools,
        random,
        accessLogs,
        rds,
        warmingTimeout,
        tls,
        NO_TRACING,
        OverloadManager.NONE);
  }

  /** Tracers for a static bootstrap or tests that never trace: any tracing block is refused. */
  private static final TracerProviders NO_TRACING =
      new TracerProviders(
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
          (config, endpoints) -> {
            throw new IllegalArgumentException("tracing: no tracer providers in this context");
          },
          name -> java.util.Optional.empty(),
          () -> 0,
          1);

  /**
   * @param accessLogs opens the access logs of the connection managers and tcp proxies
   * @param rds where connection managers that use {@code rds} find their routes
   * @param warmingTimeout how long a listener waits for its route configuration before it takes
   *     connections with none (every request 404 NR until it arrives)
   * @param tls builds the TLS contexts of filter chains and watches their certificate files
   * @param tracers the sidecar's tracer providers, for connection managers with {@code tracing}
   * @param overload the sidecar's overload manager: it admits each new connection, may stop the
   *     listeners accepting, and sheds requests
   */
  public ListenerManager(
      Transport transport,
      EventLoopGroup workers,
      ClusterManager clusters,
      ProxyStats stats,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random,
      AccessLogFactory accessLogs,
      RouteConfigProvider rds,
      Duration warmingTimeout,
      TlsManager tls,
      TracerProviders tracers,
      OverloadManager overload) {
    this(
        transport,
        workers,
        clusters,
        stats,
        pools,
        random,
        accessLogs,
        rds,
        warmingTimeout,
        tls,
        tracers,
        overload,
        OriginalDestinationReader.SOCKET);
  }

  /**
   * As above, with where {@code original_dst} reads original destinations: {@link
   * OriginalDestinationReader#SOCKET} in production, a stand-in for tests without iptables.
   */
  public ListenerManager(
      Transport transport,
      EventLoopGroup workers,
      ClusterManager clusters,
      ProxyStats stats,
      Function<EventLoop, PoolManager> pools,
      RandomGenerator random,
      AccessLogFactory accessLogs,
      RouteConfigProvider rds,
      Duration warmingTimeout,
      TlsManager tls,
      TracerProviders tracers,
      OverloadManager overload,
      OriginalDestinationReader originalDestinations) {
    this.originalDestinations = requireNonNull(originalDestinations, "originalDestinations");
    this.overload = requireNonNull(overload, "overload");
    overload.onAcceptingChange(this::setAccepting);
    this.tls = requireNonNull(tls, "tls");
    this.tracers = requireNonNull(tracers, "tracers");
    this.accessLogs = requireNonNull(accessLogs, "accessLogs");
    this.warmingTimeout = requireNonNull(warmingTimeout, "warmingTimeout");
    this.transport = requireNonNull(transport, "transport");
    this.workers = requireNonNull(workers, "workers");
    this.clusters = requireNonNull(clusters, "clusters");
    this.stats = requireNonNull(stats, "stats");
    this.pools = requireNonNull(pools, "pools");
    this.random = requireNonNull(random, "random");
    this.rds = requireNonNull(rds, "rds");
  }

  /**
   * Binds a listener, blocking the calling thread (never an event loop) until it is bound.
   *
   * @throws BindException naming the listener and the address when the bind fails
   */
  public synchronized ActiveListener bind(ListenerConfig config) throws BindException {
    ActiveListener bound = bind(config, chain(config)).listener();
    staticNames.add(config.name());
    return bound;
  }

  /**
   * Makes the listeners those of {@code next} (a whole LDS state of the world); see the class
   * comment. Listeners bound with {@link #bind} (the bootstrap's) are not touched. Every new chain
   * is built before anything changes.
   *
   * @throws IllegalArgumentException when a chain cannot be built (its routes), a name is a static
   *     listener's, or two listeners share an address; nothing changed
   * @throws BindException when a listener that needed no warming cannot be bound; the listeners
   *     before it in {@code next} were applied, it and the ones after were not
   */
  public synchronized void applyListeners(List<ListenerConfig> next) throws BindException {
    Map<String, ListenerConfig> byName = new LinkedHashMap<>();
    next.forEach(c -> byName.put(c.name(), c));
    for (String name : byName.keySet()) {
      if (staticNames.contains(name)) {
        throw new IllegalArgumentException(
            "listener " + name + ": name: a static listener of the bootstrap has this name");
      }
    }
    List<ListenerConfig> all = new ArrayList<>(byName.values());
    staticNames.forEach(n -> all.add(active.get(n).listener().config()));
    requireDistinctAddresses(all);
    List<Warming> changes = new ArrayList<>();
    try {
      for (ListenerConfig config : byName.values()) {
        if (!unchanged(config)) {
          changes.add(new Warming(config, chain(config)));
        }
      }
    } catch (RuntimeException e) {
      changes.forEach(w -> w.chain().close());
      throw e;
    }
    for (String name : List.copyOf(union(active.keySet(), warming.keySet()))) {
      if (!byName.containsKey(name) && !staticNames.contains(name)) {
        remove(name);
      }
    }
    for (Warming w : changes) {
      Warming previous = warming.put(w.config().name(), w);
      if (previous != null) {
        previous.chain().close();
      }
    }
    for (int i = 0; i < changes.size(); i++) {
      Warming w = changes.get(i);
      if (w.chain().ready().isDone()) {
        try {
          activate(w);
        } catch (BindException e) {
          for (Warming rest : changes.subList(i + 1, changes.size())) {
            warming.remove(rest.config().name(), rest);
            rest.chain().close();
          }
          throw e;
        }
      } else {
        log.info("listener {} warming: waiting for its routes or secrets", w.config().name());
        // Envoy's resource-does-not-exist rule: routes that never come leave the listener serving
        // an empty table (404 NR) after the warming timeout, rather than unbound for ever.
        w.chain()
            .ready()
            .completeOnTimeout(null, warmingTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .thenRun(() -> activateLater(w));
      }
    }
  }

  /**
   * Envoy refuses two listeners on one address; here it matters twice, as {@code SO_REUSEPORT}
   * would let both bind and split the connections between them.
   */
  private void requireDistinctAddresses(Collection<ListenerConfig> configs) {
    Map<String, String> seen = new HashMap<>();
    for (ListenerConfig c : configs) {
      String first = seen.putIfAbsent(effectiveAddress(c), c.name());
      if (first != null) {
        throw new IllegalArgumentException(
            "listener "
                + c.name()
                + ": address: "
                + c.address()
                + " is already listener "
                + first
                + "'s");
      }
    }
  }

  /** The configured address, or the one a kept port-0 listener got; a new port 0 is unique. */
  private String effectiveAddress(ListenerConfig c) {
    if (c.address().port() != 0) {
      return c.address().address() + ":" + c.address().port();
    }
    Bound b = active.get(c.name());
    if (b != null && b.listener().config().address().equals(c.address())) {
      InetSocketAddress bound = b.listener().boundAddress();
      return bound.getAddress().getHostAddress() + ":" + bound.getPort();
    }
    return "new port 0 of " + c.name();
  }

  /** Completes once no listener that is warming now still warms. */
  public synchronized CompletableFuture<Void> warmed() {
    return CompletableFuture.allOf(
        warming.values().stream().map(w -> w.chain().ready()).toArray(CompletableFuture[]::new));
  }

  private boolean unchanged(ListenerConfig config) {
    Warming w = warming.get(config.name());
    if (w != null) {
      return w.config().equals(config);
    }
    Bound b = active.get(config.name());
    return b != null && b.listener().config().equals(config);
  }

  private void activateLater(Warming w) {
    try {
      activate(w);
    } catch (BindException e) {
      log.warn("{}", e.getMessage());
    }
  }

  private synchronized void activate(Warming w) throws BindException {
    String name = w.config().name();
    if (warming.get(name) != w) {
      return;
    }
    warming.remove(name);
    Bound old = active.get(name);
    if (old == null) {
      bind(w.config(), w.chain());
    } else if (old.listener().config().address().equals(w.config().address())
        && old.listener().config().bindToPort() == w.config().bindToPort()) {
      SwitchingInitializer.Version replaced =
          old.initializer()
              .swap(new SwitchingInitializer.Version(w.chain(), bufferLimit(w.config())));
      replaced.chain().close();
      w.chain().activated();
      ActiveListener updated =
          new ActiveListener(
              w.config(), old.listener().boundAddress(), old.listener().serverChannels());
      active.put(name, new Bound(updated, old.initializer()));
      publishAddresses();
      log.info("listener {} updated in place on {}", name, updated.boundAddress());
    } else {
      active.remove(name);
      try {
        bind(w.config(), w.chain());
      } catch (BindException e) {
        active.put(name, old);
        publishAddresses();
        w.chain().close();
        throw e;
      }
      stopAccepting(old);
      log.info("listener {} moved from {}", name, old.listener().boundAddress());
    }
  }

  private void remove(String name) {
    Warming w = warming.remove(name);
    if (w != null) {
      w.chain().close();
    }
    Bound b = active.remove(name);
    if (b != null) {
      publishAddresses();
      stopAccepting(b);
      log.info("listener {} removed: draining its open connections", name);
    }
  }

  private static CompletableFuture<Void> stopAccepting(Bound b) {
    b.initializer().current().chain().close();
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    for (Channel ch : b.listener().serverChannels()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      ch.close().addListener(x -> f.complete(null));
      closed.add(f);
    }
    return CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new));
  }

  /**
   * Builds every filter chain of {@code config}; a chain that cannot be built (its routes, its
   * certificate) closes the ones built before it and refuses the listener.
   */
  private ListenerChains chain(ListenerConfig config) {
    List<FilterChainInitializer> built = new ArrayList<>();
    try {
      for (var chainConfig : config.allFilterChains()) {
        built.add(
            new FilterChainInitializer(
                chainConfig,
                stats.listener(config.name()),
                clusters,
                transport,
                connections,
                new FilterChainInitializer.HttpContext(
                    config.name(),
                    stats,
                    pools,
                    random,
                    accessLogs,
                    rds,
                    tls,
                    tracers,
                    overload,
                    partitions)));
      }
    } catch (RuntimeException e) {
      built.forEach(FilterChainInitializer::close);
      throw e;
    }
    int matched = config.filterChains().size();
    ListenerChains.Settings settings =
        new ListenerChains.Settings(
            ListenerFilters.create(
                config,
                () -> stats.listenerFilters(config.name()),
                originalDestinations,
                transport),
            config.listenerFiltersTimeout(),
            config.continueOnListenerFiltersTimeout(),
            config.useOriginalDst(),
            stats.listener(config.name()),
            addresses);
    return new ListenerChains(
        config.name(),
        built.subList(0, matched),
        config.defaultFilterChain().isPresent() ? built.get(matched) : null,
        settings,
        connections);
  }

  private static int bufferLimit(ListenerConfig config) {
    return config.perConnectionBufferLimitBytes();
  }

  private Bound bind(ListenerConfig config, ListenerChains chain) throws BindException {
    SwitchingInitializer initializer =
        new SwitchingInitializer(
            new SwitchingInitializer.Version(chain, bufferLimit(config)), overload);
    ServerBootstrap template = serverBootstrap(initializer);
    List<Channel> channels = new ArrayList<>();
    InetSocketAddress requested =
        new InetSocketAddress(config.address().address(), config.address().port());
    if (!config.bindToPort()) {
      // Envoy's bind_to_port: false: no socket; the listener only takes hand-offs.
      Bound b = new Bound(new ActiveListener(config, requested, List.of()), initializer);
      active.put(config.name(), b);
      chain.activated();
      publishAddresses();
      log.info(
          "listener {} on {} takes hand-offs only (bind_to_port: false)", config.name(), requested);
      return b;
    }
    try {
      if (transport.supportsReusePort()) {
        transport.enableReusePort(template);
        InetSocketAddress bound = requested;
        for (EventExecutor loop : workers) {
          EventLoop el = (EventLoop) loop;
          Channel ch = template.clone().group(el, el).bind(bound).sync().channel();
          channels.add(ch);
          bound = (InetSocketAddress) ch.localAddress();
        }
      } else {
        channels.add(template.group(workers, workers).bind(requested).sync().channel());
      }
    } catch (Exception e) {
      channels.forEach(Channel::close);
      chain.close();
      throw new BindException(
          "listener " + config.name() + ": cannot bind " + config.address() + ": " + e, e);
    }
    if (!overload.acceptingConnections()) {
      channels.forEach(ch -> ch.config().setAutoRead(false));
    }
    InetSocketAddress bound = (InetSocketAddress) channels.get(0).localAddress();
    Bound b = new Bound(new ActiveListener(config, bound, channels), initializer);
    active.put(config.name(), b);
    chain.activated();
    // Envoy's listener scope is the configured address: an epoll socket bound to 0.0.0.0 reports
    // itself as [::]. The bound port stands in for a configured 0.
    stats
        .scopes()
        .listenerBound(
            config.name(), new InetSocketAddress(requested.getAddress(), bound.getPort()));
    publishAddresses();
    log.info("listener {} bound to {} ({} socket(s))", config.name(), bound, channels.size());
    return b;
  }

  /** Makes {@link #addresses} match {@link #active}: called after every change to it. */
  private void publishAddresses() {
    Map<InetSocketAddress, java.util.function.Supplier<ListenerChains>> map = new HashMap<>();
    for (Bound b : active.values()) {
      SwitchingInitializer initializer = b.initializer();
      map.put(b.listener().boundAddress(), () -> initializer.current().chain());
    }
    addresses.publish(map);
  }

  private ServerBootstrap serverBootstrap(SwitchingInitializer initializer) {
    return transport
        .serverBootstrap()
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        // No TCP_NODELAY here: Netty's socket configuration already sets it on every accepted
        // socket (RawSocketOptionsTest checks it), and a second setsockopt per connection is waste.
        .childHandler(initializer);
  }

  public synchronized Collection<ActiveListener> listeners() {
    List<ActiveListener> out = new ArrayList<>();
    active.values().forEach(b -> out.add(b.listener()));
    return out;
  }

  /**
   * Stops accepting on every listener; open connections are left alone. Does not block: the
   * returned future completes when every server socket is closed.
   */
  public synchronized CompletableFuture<Void> stopAccepting() {
    return CompletableFuture.allOf(
        active.values().stream()
            .map(ListenerManager::stopAccepting)
            .toArray(CompletableFuture[]::new));
  }

  /**
   * {@code stop_accepting_connections}: the listeners' server sockets stop (or resume) accepting;
   * new connections wait in the kernel's backlog meanwhile.
   */
  private synchronized void setAccepting(boolean accepting) {
    for (Bound b : active.values()) {
      for (Channel ch : b.listener().serverChannels()) {
        ch.config().setAutoRead(accepting);
      }
    }
    log.warn(
        accepting
            ? "overload: listeners accept connections again"
            : "overload: listeners stop accepting connections (stop_accepting_connections)");
  }

  public ConnectionTracker connections() {
    return connections;
  }

  private static <T> List<T> union(Collection<T> a, Collection<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** A listener could not be bound; the message names it and its address. */
  public static final class BindException extends Exception {
    private static final long serialVersionUID = 1L;

    BindException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
