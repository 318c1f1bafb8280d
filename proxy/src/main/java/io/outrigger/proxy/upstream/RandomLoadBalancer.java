package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import java.util.random.RandomGenerator;

/**
 * Envoy's {@code RANDOM}: each pick draws a host at random, with probability proportional to its
 * {@code load_balancing_weight} (uniform when the weights are equal).
 *
 * <p>Called on any event loop; reads the per-snapshot {@link WeightedHosts} and allocates nothing
 * once that is built. The request hash of the {@link LbContext} is ignored.
 */
public final class RandomLoadBalancer implements LoadBalancer {
  private final RandomGenerator random;
  private final PerSnapshot<WeightedHosts> weights = new PerSnapshot<>(WeightedHosts::of);

  /**
   * @param random draws every pick; called from every event loop, so it must be safe for that
   *     ({@link LoadBalancers#perThreadRandom()}); tests pass a seeded generator and pick from one
   *     thread
   */
  public RandomLoadBalancer(RandomGenerator random) {
    this.random = requireNonNull(random, "random");
  }

  @Override
  public Host choose(HostSet hosts, LbContext context) {
    if (hosts.isEmpty()) {
      return null;
    }
    return weights.get(hosts).pick(random);
  }
}
