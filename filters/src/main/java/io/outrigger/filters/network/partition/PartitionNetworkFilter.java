package io.outrigger.filters.network.partition;

import io.micrometer.core.instrument.Counter;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterCallbacks;
import io.outrigger.filters.network.NetworkFilterStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The network partition filter for one connection: {@code drop} holds it (accepted, never read
 * past, never answered), {@code refuse} closes it at once, {@code reset} resets it, {@code delay}
 * lets it proceed after the delay, {@code lose} holds the configured fraction.
 */
final class PartitionNetworkFilter implements NetworkFilter {
  private final Optional<PartitionRule> rule;
  private final RandomGenerator random;
  private final Map<PartitionRule.Action, Counter> counters;
  private ScheduledFuture<?> delayTimer;

  PartitionNetworkFilter(
      Optional<PartitionRule> rule,
      RandomGenerator random,
      Map<PartitionRule.Action, Counter> counters) {
    this.rule = rule;
    this.random = random;
    this.counters = counters;
  }

  @Override
  public NetworkFilterStatus onNewConnection(NetworkFilterCallbacks callbacks) {
    if (rule.isEmpty()) {
      return NetworkFilterStatus.CONTINUE;
    }
    PartitionRule r = rule.get();
    if (r.action() == PartitionRule.Action.LOSE && random.nextDouble() >= r.fraction()) {
      return NetworkFilterStatus.CONTINUE;
    }
    counters.get(r.action()).increment();
    switch (r.action()) {
      case DROP, LOSE -> callbacks.hold();
      case REFUSE -> callbacks.close();
      case RESET -> callbacks.reset();
      case DELAY ->
          delayTimer =
              callbacks
                  .executor()
                  .schedule(
                      callbacks::continueConnection, r.delay().toNanos(), TimeUnit.NANOSECONDS);
    }
    return NetworkFilterStatus.STOP_ITERATION;
  }

  @Override
  public void onClose() {
    if (delayTimer != null) {
      delayTimer.cancel(false);
      delayTimer = null;
    }
  }
}
