package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.ClusterConfig;
import io.outrigger.proxy.stats.ClusterStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster at run time: its config, its current host snapshot, its balancer and statistics.
 *
 * <p>The snapshot is replaced whole ({@link #updateHosts}) by discovery (static config, DNS
 * refresh) and read without locks by the data path ({@link #chooseHost}).
 */
public final class Cluster {
  private final ClusterConfig config;
  private final ClusterStats stats;
  private final LoadBalancer loadBalancer;
  private final CompletableFuture<Void> initialized = new CompletableFuture<>();
  private final ResourceLimits limits;
  private volatile HostSet hosts = HostSet.EMPTY;

  public Cluster(ClusterConfig config, ClusterStats stats, LoadBalancer loadBalancer) {
    this.config = requireNonNull(config, "config");
    this.stats = requireNonNull(stats, "stats");
    this.loadBalancer = requireNonNull(loadBalancer, "loadBalancer");
    this.limits = new ResourceLimits(config.name(), config.resourceLimits());
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

  public HostSet hosts() {
    return hosts;
  }

  /** The host for a new connection, or {@code null} when the cluster has none. */
  public Host chooseHost(LbContext context) {
    return loadBalancer.choose(hosts, context);
  }

  /**
   * Reserves one of the cluster's upstream connections (all hosts, all event loops); false, counted
   * as {@code upstream_cx_overflow}, when the cluster is at its {@code max_connections} and the
   * caller must wait for one to close or be returned.
   */
  public boolean tryReserveConnection() {
    if (limits.tryAcquireConnection()) {
      return true;
    }
    stats.connectionOverflow();
    return false;
  }

  /** Gives back a connection reserved with {@link #tryReserveConnection()}. */
  public void releaseConnection() {
    limits.releaseConnection();
  }

  /**
   * Completes once the cluster has had its first chance at hosts: at once for static clusters,
   * after the first DNS answer (or failure) for DNS clusters. The sidecar is ready only after.
   */
  public CompletableFuture<Void> initialized() {
    return initialized;
  }

  void markInitialized() {
    initialized.complete(null);
  }

  /** A resolved endpoint: where to connect, the name it came from, its weight. */
  public record ResolvedEndpoint(InetSocketAddress address, String hostname, int weight) {}

  /**
   * Replaces the snapshot. A host whose address and weight are unchanged keeps its {@link Host}
   * object and so its counters.
   */
  public void updateHosts(List<ResolvedEndpoint> endpoints) {
    Map<String, Host> previous = new HashMap<>();
    for (Host h : hosts.hosts()) {
      previous.put(key(h.address(), h.weight()), h);
    }
    List<Host> next = new ArrayList<>(endpoints.size());
    for (ResolvedEndpoint e : endpoints) {
      Host kept = previous.remove(key(e.address(), e.weight()));
      next.add(kept != null ? kept : new Host(e.address(), e.hostname(), e.weight()));
    }
    hosts = HostSet.of(next);
  }

  private static String key(InetSocketAddress address, int weight) {
    return address + "/" + weight;
  }
}
