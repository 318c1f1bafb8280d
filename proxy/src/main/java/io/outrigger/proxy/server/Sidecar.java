package io.outrigger.proxy.server;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.api.model.accesslog.AccessLogConfig;
import io.outrigger.config.LoadedBootstrap;
import io.outrigger.proxy.accesslog.AccessLogFactory;
import io.outrigger.proxy.accesslog.AccessLogWriters;
import io.outrigger.proxy.admin.AdminEndpoints;
import io.outrigger.proxy.admin.AdminServer;
import io.outrigger.proxy.admin.DynamicResourcesView;
import io.outrigger.proxy.admin.ServerState;
import io.outrigger.proxy.admin.SidecarControl;
import io.outrigger.proxy.http.RouteConfigProvider;
import io.outrigger.proxy.listener.ActiveListener;
import io.outrigger.proxy.listener.ListenerManager;
import io.outrigger.proxy.overload.OverloadManager;
import io.outrigger.proxy.stats.EventLoopStats;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tls.CertificateWatcher;
import io.outrigger.proxy.tls.SecretManager;
import io.outrigger.proxy.tls.TlsManager;
import io.outrigger.proxy.tracing.TracerProviders;
import io.outrigger.proxy.transport.BufferAllocators;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running sidecar: its event loops, clusters, listeners and admin server, and its lifecycle.
 *
 * <p>Start-up order is Envoy's: admin first (so {@code /ready} answers 503 while starting), then
 * clusters initialize (DNS clusters wait for their first answer), then listeners bind, then the
 * state turns LIVE. Shutting down runs on a lifecycle thread of its own, never on an event loop:
 * listeners stop accepting, open connections get the drain time to finish, the rest are closed, the
 * event loops stop, and {@link #terminated()} completes.
 */
public final class Sidecar implements SidecarControl, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sidecar.class);
  private static final Duration CLUSTER_INIT_TIMEOUT = Duration.ofSeconds(30);

  private final LoadedBootstrap bootstrap;
  private final SidecarOptions options;
  private final Instant loadedAt = Instant.now();
  private final Transport transport = Transport.detect();
  private final ProxyStats stats;
  private final TlsManager tls;
  private final EventLoopGroup workers;
  private final EventLoopGroup adminLoop;
  private final ClusterManager clusters;
  private final java.util.Map<io.netty.channel.EventLoop, PoolManager> pools =
      new java.util.IdentityHashMap<>();
  private final ListenerManager listeners;
  private final RouteConfigProvider routes = new RouteConfigProvider();
  private volatile Discovery discovery;
  private final AccessLogWriters accessLogWriters;
  private final TracerProviders tracers;
  private final OverloadManager overload;
  private final ExecutorService lifecycle =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "outrigger-lifecycle");
            t.setDaemon(true);
            return t;
          });
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile ServerState state = ServerState.PRE_INITIALIZING;
  private volatile AdminServer admin;

  private Sidecar(LoadedBootstrap bootstrap, SidecarOptions options) {
    this.bootstrap = requireNonNull(bootstrap, "bootstrap");
    this.options = requireNonNull(options, "options");
    BufferAllocators.sidecar(); // chosen and logged now (a wrong name refused), not at a bind
    this.stats =
        new ProxyStats(bootstrap.config().stats(), options.statsFormat(), System::nanoTime);
    stats.registerServer(
        () -> state == ServerState.LIVE,
        () -> envoyState(state),
        options.concurrency(),
        System::nanoTime);
    this.accessLogWriters = new AccessLogWriters(stats.registry());
    this.tls =
        new TlsManager(
            stats.registry(),
            Clock.systemUTC(),
            CertificateWatcher.DEFAULT_INTERVAL,
            new SecretManager(
                bootstrap.config().secrets(),
                options.csrSecret().map(java.util.Set::of).orElse(java.util.Set.of())));
    this.workers = transport.newEventLoopGroup(options.concurrency(), "outrigger-worker");
    this.adminLoop = transport.newEventLoopGroup(1, "outrigger-admin");
    EventLoopStats.bind(stats.registry(), workers, "worker");
    EventLoopStats.bind(stats.registry(), adminLoop, "admin");
    for (io.netty.util.concurrent.EventExecutor e : workers) {
      io.netty.channel.EventLoop loop = (io.netty.channel.EventLoop) e;
      pools.put(loop, new PoolManager(loop, transport));
    }
    try {
      this.clusters =
          new ClusterManager(
              bootstrap.config().clusters(),
              stats,
              workers,
              transport,
              new SplittableRandom(),
              retired -> pools.forEach((loop, p) -> loop.execute(() -> p.drain(retired))),
              ClusterManager.DEFAULT_WARMING_TIMEOUT,
              tls);
    } catch (RuntimeException e) {
      // A cluster refused by the data plane (a certificate that cannot be read): nothing runs.
      workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
      adminLoop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
      tls.close();
      stats.close();
      throw e;
    }
    this.tracers =
        TracerProviders.create(
            stats.registry(),
            options.spanExporters(),
            this::firstEndpoint,
            bootstrap.config().node().cluster());
    this.overload =
        bootstrap
            .config()
            .overloadManager()
            .map(o -> OverloadManager.create(o, stats.registry()))
            .orElse(OverloadManager.NONE);
    overload.start();
    this.listeners =
        new ListenerManager(
            transport,
            workers,
            clusters,
            stats,
            pools::get,
            new ThreadLocalRandomSource(),
            new AccessLogFactory(accessLogWriters, Clock.systemUTC()),
            routes,
            ClusterManager.DEFAULT_WARMING_TIMEOUT,
            tls,
            tracers,
            overload,
            options.originalDestinations());
  }

  /** A cluster's first configured endpoint, {@code host:port}: where tracing exports go. */
  private Optional<String> firstEndpoint(String clusterName) {
    Cluster c = clusters.get(clusterName);
    if (c == null || c.config().endpoints().isEmpty()) {
      return Optional.empty();
    }
    var a = c.config().endpoints().get(0).address();
    return Optional.of(a.address() + ":" + a.port());
  }

  /**
   * Starts a sidecar and returns once it is LIVE.
   *
   * @throws StartException when the admin server or a listener cannot bind, or clusters do not
   *     initialize; everything started so far is stopped again
   */
  public static Sidecar start(LoadedBootstrap bootstrap, SidecarOptions options)
      throws StartException {
    Sidecar sidecar = new Sidecar(bootstrap, options);
    try {
      sidecar.startUp();
      return sidecar;
    } catch (StartException | RuntimeException e) {
      sidecar.stopNow();
      sidecar.terminated.join();
      throw e;
    }
  }

  private void startUp() throws StartException {
    bootstrap
        .config()
        .admin()
        .ifPresent(
            a -> {
              admin =
                  AdminServer.bind(a.address(), AdminEndpoints.routes(this), adminLoop, transport);
              log.info("admin listening on {}", admin.address());
            });
    awaitClusters();
    openAccessLogs();
    for (ListenerConfig l : bootstrap.config().listeners()) {
      try {
        listeners.bind(l);
      } catch (ListenerManager.BindException e) {
        throw new StartException(e.getMessage(), e);
      }
    }
    if (bootstrap.config().dynamicResources().isPresent()) {
      discovery =
          Discovery.start(
              bootstrap.config(),
              clusters,
              listeners,
              routes,
              tls.secrets(),
              options.csrSecret(),
              stats);
      discovery.awaitInitialized();
    }
    state = ServerState.LIVE;
    log.info(
        "outrigger is LIVE: {} listener(s), {} cluster(s), {} event loop(s) on {}",
        listeners.listeners().size(),
        clusters.clusters().size(),
        options.concurrency(),
        transport);
  }

  /**
   * Opens every access log file before any listener binds: a path that cannot be opened stops the
   * start.
   */
  private void openAccessLogs() throws StartException {
    for (ListenerConfig l : bootstrap.config().listeners()) {
      for (NetworkFilterConfig f :
          l.allFilterChains().stream().flatMap(c -> c.filters().stream()).toList()) {
        List<AccessLogConfig> logs =
            f instanceof HttpConnectionManagerConfig h
                ? h.accessLog()
                : f instanceof TcpProxyConfig t ? t.accessLog() : List.of();
        for (AccessLogConfig log : logs) {
          try {
            accessLogWriters.open(log.sink());
          } catch (IOException e) {
            throw new StartException("listener " + l.name() + ": " + e.getMessage(), e);
          }
        }
      }
    }
  }

  private void awaitClusters() throws StartException {
    try {
      clusters.initialized().get(CLUSTER_INIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StartException("clusters did not initialize within " + CLUSTER_INIT_TIMEOUT, e);
    } catch (ExecutionException e) {
      throw new StartException("clusters failed to initialize: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException("interrupted while clusters initialized", e);
    }
  }

  /** Envoy's {@code server.state}: 0 LIVE, 1 DRAINING, 2 PRE_INITIALIZING. */
  private static int envoyState(ServerState s) {
    return switch (s) {
      case LIVE -> 0;
      case DRAINING, TERMINATED -> 1;
      case PRE_INITIALIZING -> 2;
    };
  }

  @Override
  public ServerState state() {
    return state;
  }

  @Override
  public ProxyStats stats() {
    return stats;
  }

  @Override
  public Collection<Cluster> clusters() {
    return clusters.clusters();
  }

  @Override
  public Optional<DynamicResourcesView> dynamicResources() {
    Discovery d = discovery;
    return d == null ? Optional.empty() : Optional.of(d);
  }

  @Override
  public LoadedBootstrap bootstrap() {
    return bootstrap;
  }

  @Override
  public Instant bootstrapLoadedAt() {
    return loadedAt;
  }

  public Optional<InetSocketAddress> adminAddress() {
    AdminServer a = admin;
    return a == null ? Optional.empty() : Optional.of(a.address());
  }

  /** The address a listener is bound to (the real port when 0 was configured). */
  public InetSocketAddress listenerAddress(String name) {
    return listeners.listeners().stream()
        .filter(l -> l.name().equals(name))
        .map(ActiveListener::boundAddress)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no listener " + name));
  }

  /** Open downstream connections over all listeners. */
  public int activeConnections() {
    return listeners.connections().size();
  }

  @Override
  public void drainListeners() {
    if (state == ServerState.LIVE || state == ServerState.PRE_INITIALIZING) {
      state = ServerState.DRAINING;
      log.info("draining listeners: no new connections");
    }
    listeners.stopAccepting();
  }

  @Override
  public void quit() {
    stopNow();
  }

  /**
   * Drains and stops: no new connections, up to {@code drainTime} for open ones to finish, then
   * everything closes. Returns at once; see {@link #terminated()}.
   */
  public CompletableFuture<Void> shutdown(Duration drainTime) {
    if (stopping.compareAndSet(false, true)) {
      drainListeners();
      lifecycle.execute(() -> runShutdown(drainTime));
    }
    return terminated;
  }

  /** Stops without draining. Returns at once; see {@link #terminated()}. */
  public CompletableFuture<Void> stopNow() {
    return shutdown(Duration.ZERO);
  }

  /** Drains for the configured drain time and stops. */
  public CompletableFuture<Void> shutdown() {
    return shutdown(options.drainTime());
  }

  /** Completes when the sidecar has stopped and released its threads and sockets. */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }

  private void runShutdown(Duration drainTime) {
    try {
      drainListeners();
      Discovery d = discovery;
      if (d != null) {
        d.close(); // no configuration change during the drain
      }
      listeners.stopAccepting().get(5, TimeUnit.SECONDS);
      waitForConnections(drainTime);
      int left = listeners.connections().size();
      if (left > 0) {
        log.info("drain time {} over: closing {} connection(s)", drainTime, left);
      }
      listeners.connections().closeAll().awaitUninterruptibly(5, TimeUnit.SECONDS);
      pools.forEach(
          (loop, p) -> loop.submit(p::closeAll).awaitUninterruptibly(2, TimeUnit.SECONDS));
      clusters.close();
      AdminServer a = admin;
      if (a != null) {
        a.close();
      }
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      adminLoop
          .shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
      overload.close();
      accessLogWriters.close();
      tls.close();
      tracers.close(); // after the loops stopped: every span has ended
      stats.close();
      state = ServerState.TERMINATED;
      log.info("outrigger stopped");
    } catch (Exception e) {
      log.warn("shutdown did not finish cleanly: {}", e.toString());
      state = ServerState.TERMINATED;
    } finally {
      terminated.complete(null);
      lifecycle.shutdown();
    }
  }

  private void waitForConnections(Duration drainTime) throws InterruptedException {
    long deadline = System.nanoTime() + drainTime.toNanos();
    while (listeners.connections().size() > 0 && System.nanoTime() < deadline) {
      // The lifecycle thread is not an event loop; polling it here delays nothing.
      Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  @Override
  public void close() {
    stopNow().join();
  }

  /** The sidecar could not start; the message says what and where. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
