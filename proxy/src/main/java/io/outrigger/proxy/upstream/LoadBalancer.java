package io.outrigger.proxy.upstream;

/**
 * Chooses the upstream host for a new connection (L4) or request (L7).
 *
 * <p>Called on an event loop, for every connection or request: an implementation must not block,
 * take a lock or allocate beyond what it returns. It reads the immutable {@link HostSet} it is
 * given; per-host state it needs (active requests) lives on the {@link Host}.
 */
public interface LoadBalancer {
  /**
   * @param hosts the cluster's current snapshot
   * @param context what is known of the request (its hash for hash-based balancers)
   * @return the chosen host, or {@code null} when {@code hosts} is empty
   */
  Host choose(HostSet hosts, LbContext context);
}
