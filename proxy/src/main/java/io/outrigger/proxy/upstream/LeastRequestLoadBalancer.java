package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.LbConfig;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Envoy's {@code LEAST_REQUEST}: prefer the host with the fewest active requests ({@link
 * Host#activeRequests()}).
 *
 * <ul>
 *   <li><b>All weights equal</b>: the power of {@code choice_count} choices (default 2). Draw that
 *       many hosts uniformly at random (with replacement, as Envoy does) and keep the one with the
 *       fewest active requests; on a tie the earlier draw wins.
 *   <li><b>Weights differ</b>: a weighted random pick over effective weights {@code weight /
 *       (active_requests + 1) ^ active_request_bias} (bias default 1.0; 0 makes it a plain weighted
 *       random pick). This is Envoy's weighting; Envoy schedules with it (earliest deadline first)
 *       where this class draws at random, which gives the same shares without a shared scheduler.
 *       It costs two passes over the hosts per pick.
 * </ul>
 *
 * <p>Called on any event loop; takes no lock and allocates nothing once the per-snapshot {@link
 * WeightedHosts} is built. Active-request counters are read as they are: another loop may move them
 * during a pick, which only nudges that pick. The request hash of the {@link LbContext} is ignored.
 */
public final class LeastRequestLoadBalancer implements LoadBalancer {
  private final int choiceCount;
  private final double activeRequestBias;
  private final RandomGenerator random;
  private final PerSnapshot<WeightedHosts> weights = new PerSnapshot<>(WeightedHosts::of);

  /**
   * @param config {@code choice_count} and {@code active_request_bias}, validated
   * @param random draws every pick; called from every event loop, so it must be safe for that
   *     ({@link LoadBalancers#perThreadRandom()}); tests pass a seeded generator
   */
  public LeastRequestLoadBalancer(LbConfig.LeastRequest config, RandomGenerator random) {
    requireNonNull(config, "config");
    this.choiceCount = config.choiceCount();
    this.activeRequestBias = config.activeRequestBias();
    this.random = requireNonNull(random, "random");
  }

  @Override
  public Host choose(HostSet hosts, LbContext context) {
    if (hosts.isEmpty()) {
      return null;
    }
    List<Host> list = hosts.hosts();
    if (list.size() == 1) {
      return list.get(0);
    }
    return weights.get(hosts).equalWeights() ? fewestOfChoices(list) : weightedPick(list);
  }

  private Host fewestOfChoices(List<Host> list) {
    Host best = list.get(random.nextInt(list.size()));
    for (int i = 1; i < choiceCount; i++) {
      Host sampled = list.get(random.nextInt(list.size()));
      if (sampled.activeRequests() < best.activeRequests()) {
        best = sampled;
      }
    }
    return best;
  }

  private Host weightedPick(List<Host> list) {
    double total = 0;
    for (int i = 0; i < list.size(); i++) {
      total += effectiveWeight(list.get(i));
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < list.size(); i++) {
      r -= effectiveWeight(list.get(i));
      if (r < 0) {
        return list.get(i);
      }
    }
    // Counters moved between the passes (or rounding): the last host is as good as any.
    return list.get(list.size() - 1);
  }

  private double effectiveWeight(Host host) {
    long active = Math.max(0, host.activeRequests());
    if (activeRequestBias == 0) {
      return host.weight();
    }
    if (activeRequestBias == 1.0) {
      return host.weight() / (double) (active + 1);
    }
    return host.weight() / Math.pow(active + 1, activeRequestBias);
  }
}
