package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Owns every cluster of the sidecar: creates them from config, keeps their hosts current (DNS
 * refresh), and hands them to the filters that connect upstream.
 */
public final class ClusterManager implements AutoCloseable {
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private final List<DnsRefresher> refreshers = new ArrayList<>();

  /**
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
    requireNonNull(random, "random");
    for (ClusterConfig config : configs) {
      Cluster cluster =
          new Cluster(
              config,
              stats.cluster(config.name()),
              LoadBalancers.create(
                  config, LoadBalancers.perThreadRandom(), random.nextLong() & Long.MAX_VALUE));
      clusters.put(config.name(), cluster);
      cluster.limits().registerGauges(stats.registry());
      if (config.type() == DiscoveryType.STATIC) {
        cluster.updateHosts(staticEndpoints(config));
        cluster.markInitialized();
      } else {
        DnsRefresher refresher = new DnsRefresher(cluster, group.next(), transport);
        refreshers.add(refresher);
        refresher.start();
      }
    }
  }

  private static List<Cluster.ResolvedEndpoint> staticEndpoints(ClusterConfig config) {
    List<Cluster.ResolvedEndpoint> out = new ArrayList<>();
    for (EndpointConfig e : config.endpoints()) {
      InetAddress ip = DnsResolution.literal(e.address().address());
      if (ip == null) {
        // The translator refuses host names on STATIC clusters; this is a programming error.
        throw new IllegalArgumentException(
            "cluster " + config.name() + ": not an IP address: " + e.address().address());
      }
      out.add(
          new Cluster.ResolvedEndpoint(
              new InetSocketAddress(ip, e.address().port()), e.address().address(), e.weight()));
    }
    return out;
  }

  /** The cluster of that name, or {@code null}. */
  public Cluster get(String name) {
    return clusters.get(name);
  }

  public Collection<Cluster> clusters() {
    return clusters.values();
  }

  /** Completes when every cluster has initialized (see {@link Cluster#initialized()}). */
  public CompletableFuture<Void> initialized() {
    return CompletableFuture.allOf(
        clusters.values().stream().map(Cluster::initialized).toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    refreshers.forEach(DnsRefresher::close);
  }
}
