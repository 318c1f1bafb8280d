package io.outrigger.proxy.upstream;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hosts and pick counting for the load-balancer tests. */
final class Picks {
  private Picks() {}

  /** A host 10.0.0.{@code n}:8080. */
  static Host host(int n, int weight) {
    return new Host(new InetSocketAddress("10.0.0." + n, 8080), "10.0.0." + n, weight);
  }

  /** Hosts 10.0.0.1 … with the given weights. */
  static HostSet hosts(int... weights) {
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      hosts.add(host(i + 1, weights[i]));
    }
    return HostSet.of(hosts);
  }

  /** The share of {@code n} picks (no request hash) that each host got. */
  static Map<Host, Double> shares(LoadBalancer lb, HostSet hosts, int n) {
    Map<Host, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(lb.choose(hosts, LbContext.NONE), 1, Integer::sum);
    }
    Map<Host, Double> shares = new HashMap<>();
    counts.forEach((h, c) -> shares.put(h, (double) c / n));
    return shares;
  }

  /** Each host's weight over the total. */
  static double weightShare(HostSet hosts, Host host) {
    long total = 0;
    for (Host h : hosts.hosts()) {
      total += h.weight();
    }
    return (double) host.weight() / total;
  }
}
