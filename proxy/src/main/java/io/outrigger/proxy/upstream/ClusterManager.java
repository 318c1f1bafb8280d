package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveredCluster;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tls.CertificateWatcher;
import io.outrigger.proxy.tls.ClientTls;
import io.outrigger.proxy.tls.TlsManager;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.health.HealthChecker;
import io.outrigger.proxy.upstream.outlier.OutlierDetector;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every cluster of the sidecar: creates them from config, keeps their hosts current (DNS
 * refresh, EDS), runs their outlier detection and active health checks, and hands them to the
 * filters that connect upstream.
 *
 * <p>Each cluster gets one worker event loop as its control loop ({@link Scheduler}): its DNS
 * refresh, EDS host updates, outlier-detection sweeps and health checks all run there, so its
 * control state needs no lock, and health-check connections are served by that loop without
 * blocking it.
 *
 * <p>Threading: {@link #get} and {@link #clusters} read one volatile immutable map and take no lock
 * (the data path). {@link #applyClusters} and {@link #applyEndpoints} are called by the dynamic
 * configuration on the discovery client's thread; they and the promotion of a warmed cluster (which
 * may run on a control loop) synchronize on this object for short, in-memory critical sections that
 * never wait for I/O.
 *
 * <p>Warming (Envoy's cluster warming): a new cluster, or a new version of a changed cluster,
 * enters the lookup map only once it has initialized ({@link Cluster#initialized()}: for an EDS
 * cluster, its first ClusterLoadAssignment; for DNS, the first answer; with health checks, their
 * first round), and its TLS context has the secrets it names over SDS, or the warming timeout has
 * passed. Until then the previous version, if any, keeps serving, so a warming cluster is never
 * seen empty. A replaced or removed cluster is retired: its DNS refresh, detector and health
 * checker stop, and its pools drain (see {@link
 * io.outrigger.proxy.upstream.pool.ConnectionPool#drain()}) through the {@code retired} callback.
 */
public final class ClusterManager implements AutoCloseable {
  /** Envoy's default {@code initial_fetch_timeout}. */
  public static final Duration DEFAULT_WARMING_TIMEOUT = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(ClusterManager.class);

  private final ProxyStats stats;
  private final EventLoopGroup group;
  private final Transport transport;
  private final RandomGenerator random;
  private final Consumer<Cluster> retired;
  private final TlsManager tls;
  private final Duration warmingTimeout;
  private volatile Map<String, Cluster> active = Map.of();
  private final Map<String, ManagedCluster> serving = new LinkedHashMap<>();
  private final Map<String, ManagedCluster> warming = new LinkedHashMap<>();
  private final Map<String, List<EndpointConfig>> assignments = new HashMap<>();
  private final Set<String> staticNames = new TreeSet<>();
  private boolean closed;

  /**
   * Clusters from a static bootstrap, without dynamic updates' pool draining.
   *
   * @param configs the clusters, names unique (the translator checked)
   * @param group the event loops DNS refreshes run on
   * @param random seeds each round-robin balancer's starting point; the balancers' own draws on the
   *     event loops use {@link LoadBalancers#perThreadRandom()}
   */
  public ClusterManager(
      List<ClusterConfig> configs,
      ProxyStats stats,
      EventLoopGroup group,
      Transport transport,
      RandomGenerator random) {
    this(configs, stats, group, transport, random, c -> {}, DEFAULT_WARMING_TIMEOUT);
  }

  /** Clusters with a TLS manager of their own (certificate files polled every second). */
  public ClusterManager(
      List<ClusterConfig> configs,
      ProxyStats stats,
      EventLoopGroup group,
      Transport transport,
      RandomGenerator random,
      Consumer<Cluster> retired,
      Duration warmingTimeout) {
    this(
        configs,
        stats,
        group,
        transport,
        random,
        retired,
        warmingTimeout,
        new TlsManager(stats.registry(), Clock.systemUTC(), CertificateWatcher.DEFAULT_INTERVAL));
  }

  /**
   * @param retired told, on the caller's thread, about every cluster that was replaced or removed,
   *     so that each event loop's pools drain it ({@link
   *     io.outrigger.proxy.upstream.pool.PoolManager#drain(Cluster)} on that loop)
   * @param warmingTimeout how long a new cluster may warm before it serves anyway
   * @param tls builds the clusters' TLS contexts ({@code transport_socket}) and watches their files
   */
  public ClusterManager(
      List<ClusterConfig> configs,
      ProxyStats stats,
      EventLoopGroup group,
      Transport transport,
      RandomGenerator random,
      Consumer<Cluster> retired,
      Duration warmingTimeout,
      TlsManager tls) {
    this.tls = requireNonNull(tls, "tls");
    this.stats = requireNonNull(stats, "stats");
    this.group = requireNonNull(group, "group");
    this.transport = requireNonNull(transport, "transport");
    this.random = requireNonNull(random, "random");
    this.retired = requireNonNull(retired, "retired");
    this.warmingTimeout = requireNonNull(warmingTimeout, "warmingTimeout");
    synchronized (this) {
      for (ClusterConfig config : configs) {
        ManagedCluster m = create(new DiscoveredCluster(config, Optional.empty()));
        serving.put(config.name(), m);
        staticNames.add(config.name());
        m.settled.complete(null);
      }
      publish();
    }
  }

  /**
   * Makes the clusters those of {@code next} (a whole CDS state of the world): a new name is
   * created and warms; a changed config builds a new {@link Cluster} that warms while the old one
   * serves, then replaces it; an equal config keeps its cluster and host state; a vanished name is
   * retired at once. The clusters of the bootstrap are not touched.
   *
   * @throws IllegalArgumentException when a name is a static cluster's; nothing changed
   */
  public synchronized void applyClusters(Map<String, DiscoveredCluster> next) {
    requireNonNull(next, "next");
    for (String name : next.keySet()) {
      if (staticNames.contains(name)) {
        // Envoy: CDS cannot change a static cluster.
        throw new IllegalArgumentException(
            "cluster " + name + ": name: a static cluster of the bootstrap has this name");
      }
    }
    for (String name : List.copyOf(union(serving.keySet(), warming.keySet()))) {
      if (!next.containsKey(name) && !staticNames.contains(name)) {
        remove(name);
      }
    }
    for (DiscoveredCluster d : next.values()) {
      ManagedCluster pending = warming.get(d.name());
      if (pending != null && pending.source.equals(d)) {
        continue;
      }
      if (pending != null) {
        warming.remove(d.name());
        retire(pending);
      }
      ManagedCluster current = serving.get(d.name());
      if (current != null && current.source.equals(d)) {
        continue;
      }
      warm(create(d));
    }
    // Forget assignments nothing names any more: a cluster that names one again subscribes again,
    // and the control plane answers a new subscription with the current assignment.
    assignments.keySet().retainAll(edsServiceNames());
    publish();
  }

  /**
   * The hosts of EDS service {@code serviceName}: given to every cluster (serving or warming) whose
   * {@code eds_cluster_config.service_name} it is, on each one's control loop, and remembered for
   * clusters that name it later. The endpoints are IP literals (the translator checked).
   */
  public synchronized void applyEndpoints(String serviceName, List<EndpointConfig> endpoints) {
    requireNonNull(serviceName, "serviceName");
    List<EndpointConfig> copy = List.copyOf(endpoints);
    assignments.put(serviceName, copy);
    for (ManagedCluster m : union(serving.values(), warming.values())) {
      if (m.source.edsServiceName().filter(serviceName::equals).isPresent()) {
        m.loop.execute(() -> setHosts(m.cluster, copy));
      }
    }
  }

  /** The EDS service names of the clusters, serving or warming: what EDS must subscribe to. */
  public synchronized Set<String> edsServiceNames() {
    Set<String> out = new TreeSet<>();
    for (ManagedCluster m : union(serving.values(), warming.values())) {
      m.source.edsServiceName().ifPresent(out::add);
    }
    return out;
  }

  /** Completes once no cluster that is warming now still warms (promoted, replaced or removed). */
  public synchronized CompletableFuture<Void> warmed() {
    return CompletableFuture.allOf(
        warming.values().stream().map(m -> m.settled).toArray(CompletableFuture[]::new));
  }

  private void warm(ManagedCluster m) {
    warming.put(m.cluster.name(), m);
    m.loop.schedule(() -> warmingTimedOut(m), warmingTimeout.toMillis(), TimeUnit.MILLISECONDS);
    // May run at once (a static cluster) or later on the cluster's control loop.
    CompletableFuture.allOf(m.cluster.initialized(), m.tlsReady).whenComplete((v, e) -> promote(m));
  }

  private void warmingTimedOut(ManagedCluster m) {
    if (!m.settled.isDone()) {
      log.warn(
          "cluster {} did not warm within {}: serving it as it is",
          m.cluster.name(),
          warmingTimeout);
      promote(m);
    }
  }

  private synchronized void promote(ManagedCluster m) {
    if (warming.get(m.cluster.name()) != m) {
      return;
    }
    warming.remove(m.cluster.name());
    ManagedCluster old = serving.put(m.cluster.name(), m);
    publish();
    m.settled.complete(null);
    if (old != null) {
      retire(old);
    }
    log.info("cluster {} {}", m.cluster.name(), old == null ? "added" : "updated");
  }

  private void remove(String name) {
    ManagedCluster pending = warming.remove(name);
    if (pending != null) {
      retire(pending);
    }
    ManagedCluster current = serving.remove(name);
    if (current != null) {
      retire(current);
      log.info("cluster {} removed", name);
    }
    (current != null ? current : pending).cluster.limits().removeGauges(stats.registry());
  }

  private void retire(ManagedCluster m) {
    m.cluster.retire();
    m.settled.complete(null);
    closeAll(m.closeables);
    retired.accept(m.cluster);
  }

  private void publish() {
    Map<String, Cluster> next = new LinkedHashMap<>();
    serving.forEach((name, m) -> next.put(name, m.cluster));
    active = Collections.unmodifiableMap(next);
  }

  private ManagedCluster create(DiscoveredCluster d) {
    ClusterConfig config = d.config();
    Cluster cluster =
        new Cluster(
            config,
            stats.cluster(config.name()),
            LoadBalancers.create(
                config, LoadBalancers.perThreadRandom(), random.nextLong() & Long.MAX_VALUE));
    EventLoop loop = group.next();
    ManagedCluster m = new ManagedCluster(cluster, d, loop);
    if (config.tls().isPresent()) {
      ClientTls clientTls = tls.client(config.tls().get(), config.name());
      cluster.useTls(clientTls);
      m.closeables.add(clientTls);
      m.tlsReady = clientTls.ready();
    }
    cluster.limits().registerGauges(stats.registry());
    Scheduler scheduler = Scheduler.of(loop);
    RandomGenerator clusterRandom = new SplittableRandom(random.nextLong());
    OutlierDetector detector =
        ClusterControls.outlierDetector(cluster, m.closeables, stats, scheduler, clusterRandom);
    HealthChecker checker =
        ClusterControls.healthChecker(
            cluster, m.closeables, stats, scheduler, clusterRandom, loop, transport);
    if (detector != null && checker != null) {
      checker.addCheckListener(detector::onHostCheckComplete);
    }
    switch (config.type()) {
      case STATIC -> setHosts(cluster, config.endpoints());
      case ORIGINAL_DST -> {
        OriginalDstHosts hosts =
            new OriginalDstHosts(
                (io.outrigger.api.model.LbConfig.OriginalDst) config.lbConfig(),
                scheduler,
                cluster::originalDstHostRemoved);
        cluster.useOriginalDst(hosts);
        m.closeables.add(hosts);
        hosts.start();
        cluster.markInitialized();
      }
      case EDS -> {
        List<EndpointConfig> known = assignments.get(d.edsServiceName().orElseThrow());
        if (known != null) {
          loop.execute(() -> setHosts(cluster, known));
        }
      }
      default -> {
        DnsRefresher refresher = new DnsRefresher(cluster, loop, transport);
        m.closeables.add(refresher);
        refresher.start();
      }
    }
    return m;
  }

  private static void setHosts(Cluster cluster, List<EndpointConfig> endpoints) {
    cluster.updateHosts(ClusterControls.literalEndpoints(cluster.name(), endpoints));
    cluster.markInitialized();
  }

  /** A cluster with what runs for it and what it was made from. */
  private static final class ManagedCluster {
    final Cluster cluster;
    final DiscoveredCluster source;
    final EventLoop loop;
    final List<AutoCloseable> closeables = new ArrayList<>();

    /** Completes when the TLS context has its SDS secrets (at once without TLS or secrets). */
    CompletableFuture<Void> tlsReady = CompletableFuture.completedFuture(null);

    /** Completes when the cluster stops warming: promoted or retired. */
    final CompletableFuture<Void> settled = new CompletableFuture<>();

    ManagedCluster(Cluster cluster, DiscoveredCluster source, EventLoop loop) {
      this.cluster = cluster;
      this.source = source;
      this.loop = loop;
    }
  }

  private static <T> List<T> union(Collection<T> a, Collection<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The cluster of that name, or {@code null}. Lock-free: the data path calls it. */
  public Cluster get(String name) {
    return active.get(name);
  }

  /** The serving clusters (not the warming ones), an immutable snapshot. */
  public Collection<Cluster> clusters() {
    return active.values();
  }

  /** Completes when every serving cluster has initialized (see {@link Cluster#initialized()}). */
  public CompletableFuture<Void> initialized() {
    return CompletableFuture.allOf(
        active.values().stream().map(Cluster::initialized).toArray(CompletableFuture[]::new));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ManagedCluster m : union(serving.values(), warming.values())) {
      m.settled.complete(null);
      closeAll(m.closeables);
    }
  }

  private static void closeAll(List<AutoCloseable> closeables) {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
