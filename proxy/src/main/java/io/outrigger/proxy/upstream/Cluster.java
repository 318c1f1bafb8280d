package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.ClusterConfig;
import io.outrigger.proxy.stats.ClusterStats;
import io.outrigger.proxy.tls.ClientTls;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A cluster at run time: its config, its current host snapshot, its balancer and statistics.
 *
 * <p>The snapshot is replaced whole ({@link #updateHosts}) by discovery (static config, DNS
 * refresh) and read without locks by the data path ({@link #chooseHost}). Next to the snapshot of
 * all hosts the cluster keeps the snapshot the balancer picks from: the hosts that are neither
 * ejected by outlier detection nor failing active health checks, or all hosts when fewer than
 * {@code healthy_panic_threshold} percent are healthy (Envoy's panic mode). Both are recomputed,
 * copy-on-write, when the hosts change or when a detector or health checker calls {@link
 * #hostHealthChanged()}; a pick never filters.
 *
 * <p>An {@code ORIGINAL_DST} cluster has no snapshot: its hosts are the connections' original
 * destinations, kept in {@link OriginalDstHosts}.
 */
public final class Cluster {
  private final ClusterConfig config;
  private final ClusterStats stats;
  private final LoadBalancer loadBalancer;
  private final CompletableFuture<Void> initialized = new CompletableFuture<>();
  private final ResourceLimits limits;
  private volatile Routing routing = Routing.EMPTY;
  private final List<HostSetListener> listeners = new CopyOnWriteArrayList<>();
  private final Object writeLock = new Object();
  private final AtomicBoolean hostsKnown = new AtomicBoolean();
  private volatile Supplier<CompletionStage<Void>> warmUp =
      () -> CompletableFuture.completedFuture(null);
  private volatile boolean carriedTraffic;
  private volatile boolean retired;
  private volatile ClientTls tls;
  private volatile OriginalDstHosts originalDst;

  public Cluster(ClusterConfig config, ClusterStats stats, LoadBalancer loadBalancer) {
    this.config = requireNonNull(config, "config");
    this.stats = requireNonNull(stats, "stats");
    this.loadBalancer = requireNonNull(loadBalancer, "loadBalancer");
    this.limits = new ResourceLimits(config.name(), config.resourceLimits());
  }

  /**
   * Whether the cluster was replaced or removed by a configuration change: requests that already
   * hold it finish on it, but its connection pools keep no idle connection.
   */
  public boolean retired() {
    return retired;
  }

  void retire() {
    retired = true;
  }

  /**
   * The TLS origination of the cluster's connections ({@code transport_socket}), or {@code null}
   * for plaintext. Set once at creation, before the cluster serves.
   */
  public ClientTls tls() {
    return tls;
  }

  void useTls(ClientTls clientTls) {
    this.tls = requireNonNull(clientTls, "clientTls");
  }

  /**
   * Makes this an {@code ORIGINAL_DST} cluster: {@link #chooseHost} returns the host of the
   * context's original destination. Set once at creation, before the cluster serves.
   */
  void useOriginalDst(OriginalDstHosts hosts) {
    this.originalDst = requireNonNull(hosts, "hosts");
  }

  /** The hosts of an {@code ORIGINAL_DST} cluster; {@code null} for other clusters. */
  public OriginalDstHosts originalDstHosts() {
    return originalDst;
  }

  /** An {@code ORIGINAL_DST} host was removed: tells the host-set listeners (pools drain). */
  void originalDstHostRemoved(Host host) {
    for (HostSetListener l : listeners) {
      l.onHostsChanged(List.of(), List.of(host));
    }
  }

  /** The cluster's admission limits ({@code circuit_breakers}). */
  public ResourceLimits limits() {
    return limits;
  }

  public String name() {
    return config.name();
  }

  public ClusterConfig config() {
    return config;
  }

  public ClusterStats stats() {
    return stats;
  }

  /** Every host of the cluster, healthy or not. */
  public HostSet hosts() {
    return routing.all();
  }

  /** The hosts that are neither ejected nor failing active health checks. */
  public HostSet healthyHosts() {
    return routing.healthy();
  }

  /** Whether fewer hosts than the panic threshold are healthy, so that all hosts are balanced. */
  public boolean inPanic() {
    return routing.panic();
  }

  /**
   * The host for a new connection or request: one of the healthy hosts, or, in panic mode, of all
   * hosts (counted in {@code lb_healthy_panic}). {@code null} when no host is usable. Lock-free and
   * allocation-free: it reads one immutable snapshot.
   */
  public Host chooseHost(LbContext context) {
    OriginalDstHosts od = originalDst;
    if (od != null) {
      return od.host(context.originalDestination());
    }
    Routing r = routing;
    if (r.panic()) {
      stats.lbHealthyPanic();
      return loadBalancer.choose(r.all(), context);
    }
    return loadBalancer.choose(r.healthy(), context);
  }

  /**
   * The hosts were added or removed, or a host's {@link HealthFlag}s changed: recompute the
   * snapshot the balancer picks from. Called by detectors and health checkers on the cluster's
   * control loop; never on the data path.
   */
  public void hostHealthChanged() {
    synchronized (writeLock) {
      routing = Routing.of(routing.all(), config.healthyPanicThresholdPercent());
      stats.membership(routing.all().hosts().size(), routing.healthy().hosts().size());
    }
  }

  /** Told about hosts that join and leave the cluster; see {@link #addHostSetListener}. */
  @FunctionalInterface
  public interface HostSetListener {
    /**
     * Called on the thread that updated the hosts, before the new snapshot is published, so that a
     * listener can flag new hosts (e.g. as not yet health-checked) before any pick sees them.
     *
     * @param added hosts new to the cluster
     * @param removed hosts no longer in it
     */
    void onHostsChanged(List<Host> added, List<Host> removed);
  }

  /** Registers {@code listener} for later host changes (not told about current hosts). */
  public void addHostSetListener(HostSetListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Whether the cluster has ever carried traffic: a connection or request to any host. Active
   * health checking uses its {@code no_traffic_interval} until then, as Envoy does until the
   * cluster's {@code upstream_cx_total} is first used. Health-check connections do not count.
   */
  public boolean hasCarriedTraffic() {
    if (carriedTraffic) {
      return true;
    }
    for (Host h : routing.all().hosts()) {
      if (h.totalConnections() > 0 || h.totalRequests() > 0) {
        carriedTraffic = true;
        return true;
      }
    }
    return false;
  }

  /**
   * Makes initialization wait, once the hosts are known, for {@code warmUp} (the first round of
   * health checks). Set before the hosts are first known.
   */
  public void warmUpWith(Supplier<CompletionStage<Void>> warmUp) {
    this.warmUp = requireNonNull(warmUp, "warmUp");
  }

  /**
   * Reserves one of the cluster's upstream connections (all hosts, all event loops); false, counted
   * as {@code upstream_cx_overflow}, when the cluster is at its {@code max_connections} and the
   * caller must wait for one to close or be returned.
   */
  public boolean tryReserveConnection() {
    return tryReserveConnection(false);
  }

  /**
   * Like {@link #tryReserveConnection()}, but with {@code poolIsEmpty} a pool that has no
   * connection at all gets one even over the limit (counted as an overflow all the same), so that
   * its waiting requests are never stranded behind connections other event loops hold.
   */
  public boolean tryReserveConnection(boolean poolIsEmpty) {
    if (limits.tryAcquireConnection()) {
      return true;
    }
    stats.connectionOverflow();
    if (poolIsEmpty) {
      limits.forceAcquireConnection();
      return true;
    }
    return false;
  }

  /** Gives back a connection reserved with {@link #tryReserveConnection()}. */
  public void releaseConnection() {
    limits.releaseConnection();
  }

  /**
   * Completes once the cluster has had its first chance at hosts: at once for static clusters,
   * after the first DNS answer (or failure) for DNS clusters; with active health checking, only
   * after every host has had its first check, as in Envoy. The sidecar is ready only after.
   */
  public CompletableFuture<Void> initialized() {
    return initialized;
  }

  void markInitialized() {
    if (hostsKnown.compareAndSet(false, true)) {
      warmUp.get().whenComplete((v, e) -> initialized.complete(null));
    }
  }

  /** A resolved endpoint: where to connect, the name it came from, its weight. */
  public record ResolvedEndpoint(InetSocketAddress address, String hostname, int weight) {}

  /**
   * Replaces the snapshot. A host whose address and weight are unchanged keeps its {@link Host}
   * object and so its counters.
   */
  public void updateHosts(List<ResolvedEndpoint> endpoints) {
    synchronized (writeLock) {
      Map<String, Host> previous = new HashMap<>();
      for (Host h : routing.all().hosts()) {
        previous.put(key(h.address(), h.weight()), h);
      }
      List<Host> next = new ArrayList<>(endpoints.size());
      List<Host> added = new ArrayList<>();
      for (ResolvedEndpoint e : endpoints) {
        Host kept = previous.remove(key(e.address(), e.weight()));
        if (kept == null) {
          kept = new Host(e.address(), e.hostname(), e.weight());
          added.add(kept);
        }
        next.add(kept);
      }
      List<Host> removed = List.copyOf(previous.values());
      if (!added.isEmpty() || !removed.isEmpty()) {
        for (HostSetListener l : listeners) {
          l.onHostsChanged(List.copyOf(added), removed);
        }
      }
      routing = Routing.of(HostSet.of(next), config.healthyPanicThresholdPercent());
      stats.membership(routing.all().hosts().size(), routing.healthy().hosts().size());
    }
  }

  /**
   * The two snapshots the balancer may pick from, and which one it uses.
   *
   * @param all every host
   * @param healthy the healthy hosts; the very same object as {@code all} when every host is
   *     healthy, so that per-snapshot structures (rings, tables) are not rebuilt
   * @param panic whether the healthy share is below the threshold: pick from {@code all}
   */
  private record Routing(HostSet all, HostSet healthy, boolean panic) {
    static final Routing EMPTY = new Routing(HostSet.EMPTY, HostSet.EMPTY, false);

    static Routing of(HostSet all, double panicThresholdPercent) {
      List<Host> healthy = new ArrayList<>(all.hosts().size());
      for (Host h : all.hosts()) {
        if (h.healthy()) {
          healthy.add(h);
        }
      }
      HostSet healthySet = healthy.size() == all.hosts().size() ? all : HostSet.of(healthy);
      // Envoy: panic when healthy% < threshold; an empty cluster is not in panic (nothing to pick).
      boolean panic =
          !all.isEmpty() && 100.0 * healthy.size() / all.hosts().size() < panicThresholdPercent;
      return new Routing(all, healthySet, panic);
    }
  }

  private static String key(InetSocketAddress address, int weight) {
    return address + "/" + weight;
  }
}
