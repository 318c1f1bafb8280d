package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.LbConfig;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Envoy's {@code RING_HASH}: ketama-style consistent hashing. Each host owns points on a 64-bit
 * ring, as many as its share of the total weight; a request goes to the owner of the first point at
 * or after its hash, wrapping around. When a host leaves, only the keys on its points move (about
 * 1/N of them for N equal hosts).
 *
 * <p>The ring follows Envoy's construction: its size is the smallest that gives the lightest host a
 * whole number of points and is at least {@code minimum_ring_size} (default 1024), capped at {@code
 * maximum_ring_size} (default 8M); the points of a host are the hashes of {@code "ip:port_0"},
 * {@code "ip:port_1"}, … Hashes are MurmurHash3 (see {@link HostHashing}), not Envoy's xxHash64.
 *
 * <p>The request hash comes from {@link LbContext#hashKey()}; without one ({@link
 * LbContext#hasHash()} false) a random point is drawn, which picks hosts in proportion to their
 * weight. The ring is built once per {@link HostSet} ({@link PerSnapshot}); a pick is a binary
 * search over it, with no lock and no allocation.
 */
public final class RingHashLoadBalancer implements LoadBalancer {
  private final long minimumRingSize;
  private final long maximumRingSize;
  private final RandomGenerator random;
  private final PerSnapshot<Ring> rings = new PerSnapshot<>(this::build);

  /**
   * @param config ring sizes, validated
   * @param random draws the hash of requests that carry none; called from every event loop, so it
   *     must be safe for that ({@link LoadBalancers#perThreadRandom()})
   */
  public RingHashLoadBalancer(LbConfig.RingHash config, RandomGenerator random) {
    requireNonNull(config, "config");
    this.minimumRingSize = config.minimumRingSize();
    this.maximumRingSize = config.maximumRingSize();
    this.random = requireNonNull(random, "random");
  }

  @Override
  public Host choose(HostSet hosts, LbContext context) {
    if (hosts.isEmpty()) {
      return null;
    }
    long hash = context.hasHash() ? context.hashKey() : random.nextLong();
    return ring(hosts).owner(hash);
  }

  /** The ring of {@code hosts}, a non-empty snapshot; built on first use. */
  Ring ring(HostSet hosts) {
    return rings.get(hosts);
  }

  private Ring build(HostSet hostSet) {
    List<Host> hosts = HostHashing.sortedByKey(hostSet.hosts());
    long totalWeight = 0;
    int minWeight = Integer.MAX_VALUE;
    for (Host h : hosts) {
      totalWeight += h.weight();
      minWeight = Math.min(minWeight, h.weight());
    }
    double minNormalized = (double) minWeight / totalWeight;
    double scale =
        Math.min(
            Math.ceil(minNormalized * minimumRingSize) / minNormalized, (double) maximumRingSize);
    // Running sums in doubles may end a point over ceil(scale); leave room for that.
    int room = (int) Math.ceil(scale) + hosts.size();
    long[] points = new long[room];
    int[] owners = new int[room];
    int n = 0;
    double current = 0;
    double target = 0;
    for (int h = 0; h < hosts.size(); h++) {
      String prefix = HostHashing.key(hosts.get(h)) + "_";
      target += scale * hosts.get(h).weight() / totalWeight;
      for (int i = 0; current < target; i++, current++, n++) {
        points[n] = HostHashing.hash64(prefix + i);
        owners[n] = h;
      }
    }
    return new Ring(Arrays.copyOf(points, n), owners, hosts);
  }

  /**
   * A built ring: points sorted in unsigned order, each with its owner. Points are stored with the
   * sign bit flipped so that signed order is unsigned order and {@link Arrays#binarySearch} works.
   */
  static final class Ring {
    private final long[] sorted;
    private final Host[] owners;

    private Ring(long[] points, int[] ownerIndex, List<Host> hosts) {
      this.sorted = new long[points.length];
      for (int i = 0; i < points.length; i++) {
        sorted[i] = points[i] ^ Long.MIN_VALUE;
      }
      Arrays.sort(sorted);
      this.owners = new Host[points.length];
      for (int i = 0; i < points.length; i++) {
        long flipped = points[i] ^ Long.MIN_VALUE;
        int at = Arrays.binarySearch(sorted, flipped);
        while (at > 0 && sorted[at - 1] == flipped) {
          at--;
        }
        while (owners[at] != null) { // equal points: the next free one of them
          at++;
        }
        owners[at] = hosts.get(ownerIndex[i]);
      }
    }

    /** How many points the ring has. */
    int size() {
      return sorted.length;
    }

    /** The owner of the first point at or after {@code hash} (unsigned), wrapping around. */
    Host owner(long hash) {
      int at = Arrays.binarySearch(sorted, hash ^ Long.MIN_VALUE);
      if (at < 0) {
        at = -at - 1;
      }
      return owners[at == sorted.length ? 0 : at];
    }

    /** How many points {@code host} owns. */
    int pointsOf(Host host) {
      int count = 0;
      for (Host owner : owners) {
        if (owner == host) {
          count++;
        }
      }
      return count;
    }
  }
}
