package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.LbConfig;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Envoy's {@code MAGLEV}: Google's Maglev consistent hashing (Eisenbud et al., NSDI 2016, §3.4). A
 * lookup table of {@code table_size} entries (a prime; default 65537) is filled by letting hosts
 * take turns claiming their next preferred free entry, along a permutation {@code (offset + j *
 * skip) mod size} of their own. A request goes to {@code table[hash mod size]}: one array read.
 *
 * <p>Weights as in Envoy: a host with a fraction {@code w} of the heaviest host's weight takes a
 * turn only every {@code 1/w} rounds, so its share of the table follows its weight. When a host
 * leaves, the entries it owned move, and few others do (the paper's bound: close to the minimal
 * 1/N).
 *
 * <p>A host's offset and skip come from the two 64-bit halves of the MurmurHash3 of {@code ip:port}
 * (see {@link HostHashing}; Envoy uses xxHash64 with seeds 0 and 1). Hosts are laid out in key
 * order, so the table depends only on which hosts there are. Without a request hash ({@link
 * LbContext#hasHash()} false) a random entry is drawn. The table is built once per {@link HostSet}
 * ({@link PerSnapshot}); a pick takes no lock and allocates nothing.
 */
public final class MaglevLoadBalancer implements LoadBalancer {
  private final int tableSize;
  private final RandomGenerator random;
  private final PerSnapshot<Host[]> tables = new PerSnapshot<>(this::build);

  /**
   * @param config the table size, validated prime
   * @param random draws the hash of requests that carry none; called from every event loop, so it
   *     must be safe for that ({@link LoadBalancers#perThreadRandom()})
   */
  public MaglevLoadBalancer(LbConfig.Maglev config, RandomGenerator random) {
    this.tableSize = Math.toIntExact(requireNonNull(config, "config").tableSize());
    this.random = requireNonNull(random, "random");
  }

  @Override
  public Host choose(HostSet hosts, LbContext context) {
    if (hosts.isEmpty()) {
      return null;
    }
    long hash = context.hasHash() ? context.hashKey() : random.nextLong();
    return table(hosts)[(int) Long.remainderUnsigned(hash, tableSize)];
  }

  /** The table of {@code hosts}, a non-empty snapshot; built on first use. Do not modify it. */
  Host[] table(HostSet hosts) {
    return tables.get(hosts);
  }

  private Host[] build(HostSet hostSet) {
    List<Host> hosts = HostHashing.sortedByKey(hostSet.hosts());
    int n = hosts.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] weight = new double[n];
    double[] target = new double[n];
    int maxWeight = 0;
    for (Host h : hosts) {
      maxWeight = Math.max(maxWeight, h.weight());
    }
    for (int i = 0; i < n; i++) {
      long[] hash = HostHashing.hash128(HostHashing.key(hosts.get(i)));
      offset[i] = Long.remainderUnsigned(hash[0], tableSize);
      skip[i] = tableSize == 1 ? 1 : Long.remainderUnsigned(hash[1], tableSize - 1) + 1;
      weight[i] = (double) hosts.get(i).weight() / maxWeight;
    }
    Host[] table = new Host[tableSize];
    int filled = 0;
    for (long round = 1; filled < tableSize; round++) {
      for (int i = 0; i < n && filled < tableSize; i++) {
        if (round * weight[i] < target[i]) {
          continue; // a lighter host skips rounds in proportion to its weight
        }
        target[i] += 1.0;
        int slot = slot(offset[i], skip[i], next[i]);
        while (table[slot] != null) {
          slot = slot(offset[i], skip[i], ++next[i]);
        }
        table[slot] = hosts.get(i);
        next[i]++;
        filled++;
      }
    }
    return table;
  }

  private int slot(long offset, long skip, long j) {
    // offset, skip < tableSize <= 5000011 and j < tableSize, so the product fits a long.
    return (int) ((offset + skip * j) % tableSize);
  }
}
