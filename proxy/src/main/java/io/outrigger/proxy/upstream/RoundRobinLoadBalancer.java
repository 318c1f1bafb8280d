package io.outrigger.proxy.upstream;

import java.util.concurrent.atomic.AtomicLong;

/** Envoy's {@code ROUND_ROBIN}: smooth weighted round robin over the snapshot's schedule. */
public final class RoundRobinLoadBalancer implements LoadBalancer {
  private final AtomicLong next;

  /**
   * @param start where the schedule starts; a random start keeps sidecars from moving in step
   */
  public RoundRobinLoadBalancer(long start) {
    this.next = new AtomicLong(Math.max(0, start));
  }

  @Override
  public Host choose(HostSet hosts, LbContext context) {
    if (hosts.isEmpty()) {
      return null;
    }
    return hosts.scheduled(next.getAndIncrement() & Long.MAX_VALUE);
  }
}
