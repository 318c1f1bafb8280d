package io.outrigger.proxy.upstream.pool;

import io.netty.channel.EventLoop;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The connection pools of one event loop, by host. Only that loop touches it, so it takes no lock;
 * every loop has its own, so a request's upstream connection lives on the request's loop.
 */
public final class PoolManager {
  private final EventLoop loop;
  private final Transport transport;
  private final Function<Cluster, PoolSettings> settings;
  private final Map<Host, ConnectionPool> pools = new HashMap<>();
  private final Map<Host, Cluster> owners = new HashMap<>();
  private final java.util.Set<Cluster> watched = new java.util.HashSet<>();

  /** Pools whose settings come from each cluster's config. */
  public PoolManager(EventLoop loop, Transport transport) {
    this(loop, transport, PoolSettings::of);
  }

  public PoolManager(
      EventLoop loop, Transport transport, Function<Cluster, PoolSettings> settings) {
    this.loop = loop;
    this.transport = transport;
    this.settings = settings;
  }

  /** The pool for {@code host} of {@code cluster}, created on first use. Call on the loop only. */
  public ConnectionPool pool(Cluster cluster, Host host) {
    ConnectionPool pool = pools.get(host);
    if (pool == null) {
      PoolSettings s = settings.apply(cluster);
      pool =
          s.http2()
              ? new Http2ConnectionPool(loop, host, cluster, transport, s)
              : new Http1ConnectionPool(loop, host, cluster, transport, s);
      if (cluster.retired()) {
        // A request that chose the cluster before it was retired: serve it, keep nothing.
        pool.drain();
        return pool;
      }
      pools.put(host, pool);
      owners.put(host, cluster);
      watchRemovals(cluster);
    }
    return pool;
  }

  /**
   * The hosts of an {@code ORIGINAL_DST} cluster come and go with connections: drain the pool of
   * each host the cluster removes (on this loop), so that idle connections to forgotten
   * destinations are closed.
   */
  private void watchRemovals(Cluster cluster) {
    if (cluster.originalDstHosts() != null && watched.add(cluster)) {
      cluster.addHostSetListener(
          (added, removed) -> loop.execute(() -> removed.forEach(this::drain)));
    }
  }

  /** Drains and forgets the pool of {@code host}, if any. Call on the loop. */
  public void drain(Host host) {
    ConnectionPool pool = pools.remove(host);
    owners.remove(host);
    if (pool != null) {
      pool.drain();
    }
  }

  /**
   * Drains and forgets the pools of a retired cluster (see {@link ConnectionPool#drain()}). Call on
   * the loop.
   */
  public void drain(Cluster cluster) {
    watched.remove(cluster);
    owners
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() != cluster) {
                return false;
              }
              ConnectionPool pool = pools.remove(e.getKey());
              if (pool != null) {
                pool.drain();
              }
              return true;
            });
  }

  /** Closes every pool. Call on the loop. */
  public void closeAll() {
    pools.values().forEach(ConnectionPool::close);
    pools.clear();
    owners.clear();
    watched.clear();
  }
}
