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
 *
 * <p>A connection it let through watches the {@link PartitionBoard}: when a later configuration
 * forbids its peer, the connection is cut as a new one would be — {@code drop} (and the lost share
 * of {@code lose}) makes it a black hole in both directions, {@code refuse} closes it, {@code
 * reset} resets it. {@code delay} applies to new connections only.
 */
final class PartitionNetworkFilter implements NetworkFilter {
  private final Optional<PartitionRule> rule;
  private final RandomGenerator random;
  private final Map<PartitionRule.Action, Counter> counters;
  private final PartitionBoard board;
  private final PartitionBoard.Key key;
  private ScheduledFuture<?> delayTimer;
  private Runnable unwatch;
  private boolean cut;

  PartitionNetworkFilter(
      Optional<PartitionRule> rule,
      RandomGenerator random,
      Map<PartitionRule.Action, Counter> counters,
      PartitionBoard board,
      PartitionBoard.Key key) {
    this.rule = rule;
    this.random = random;
    this.counters = counters;
    this.board = board;
    this.key = key;
  }

  @Override
  public NetworkFilterStatus onNewConnection(NetworkFilterCallbacks callbacks) {
    if (rule.isEmpty() || rule.get().action() == PartitionRule.Action.LOSE && passes(rule.get())) {
      watch(callbacks);
      return NetworkFilterStatus.CONTINUE;
    }
    PartitionRule r = rule.get();
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
                      () -> {
                        watch(callbacks);
                        callbacks.continueConnection();
                      },
                      r.delay().toNanos(),
                      TimeUnit.NANOSECONDS);
    }
    return NetworkFilterStatus.STOP_ITERATION;
  }

  private boolean passes(PartitionRule lose) {
    return random.nextDouble() >= lose.fraction();
  }

  /** From now on, a rule published for this connection's peer may cut it. */
  private void watch(NetworkFilterCallbacks callbacks) {
    if (board != null && unwatch == null) {
      unwatch =
          board.watch(
              key, next -> callbacks.executor().execute(() -> ruleChanged(next, callbacks)));
    }
  }

  /** On the connection's event loop: a new configuration's rule for the peer. */
  private void ruleChanged(Optional<PartitionRule> next, NetworkFilterCallbacks callbacks) {
    if (cut || unwatch == null || next.isEmpty()) {
      return;
    }
    PartitionRule r = next.get();
    if (r.action() == PartitionRule.Action.DELAY
        || r.action() == PartitionRule.Action.LOSE && passes(r)) {
      return;
    }
    cut = true;
    counters.get(r.action()).increment();
    switch (r.action()) {
      case DROP, LOSE -> callbacks.hold();
      case REFUSE -> callbacks.close();
      case RESET -> callbacks.reset();
      case DELAY -> throw new AssertionError("returned above");
    }
  }

  @Override
  public void onClose() {
    if (delayTimer != null) {
      delayTimer.cancel(false);
      delayTimer = null;
    }
    if (unwatch != null) {
      unwatch.run();
      unwatch = null;
    }
  }
}
