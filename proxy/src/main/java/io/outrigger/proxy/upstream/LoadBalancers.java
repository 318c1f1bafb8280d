package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.LbConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Creates the {@link LoadBalancer} a cluster's {@code lb_policy} asks for. */
public final class LoadBalancers {
  private static final RandomGenerator PER_THREAD = () -> ThreadLocalRandom.current().nextLong();

  private LoadBalancers() {}

  /**
   * The balancer for {@code config}'s {@link ClusterConfig#lbConfig()}; one per cluster, shared by
   * every event loop.
   *
   * @param random every random draw of the balancer (random picks, power-of-two choices, the hash
   *     of requests that carry none); called from every event loop, so it must be safe for
   *     concurrent use: {@link #perThreadRandom()} in production, a seeded generator in
   *     single-threaded tests
   * @param roundRobinStart where a round-robin schedule starts (ignored by the other policies); a
   *     random start keeps sidecars from moving in step
   */
  public static LoadBalancer create(
      ClusterConfig config, RandomGenerator random, long roundRobinStart) {
    requireNonNull(config, "config");
    requireNonNull(random, "random");
    LbConfig lb = config.lbConfig();
    if (lb instanceof LbConfig.LeastRequest leastRequest) {
      return new LeastRequestLoadBalancer(leastRequest, random);
    } else if (lb instanceof LbConfig.RingHash ringHash) {
      return new RingHashLoadBalancer(ringHash, random);
    } else if (lb instanceof LbConfig.Maglev maglev) {
      return new MaglevLoadBalancer(maglev, random);
    } else if (lb instanceof LbConfig.Random) {
      return new RandomLoadBalancer(random);
    }
    return new RoundRobinLoadBalancer(roundRobinStart);
  }

  /**
   * Randomness for the data path: each thread draws from its own {@link ThreadLocalRandom}, so
   * event loops never contend and nothing is allocated per draw. Not seedable: tests inject a
   * seeded generator instead.
   */
  public static RandomGenerator perThreadRandom() {
    return PER_THREAD;
  }
}
