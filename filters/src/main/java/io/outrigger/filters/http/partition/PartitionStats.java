package io.outrigger.filters.http.partition;

import io.micrometer.core.instrument.Counter;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.filters.stats.FilterMeters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The partition filter's statistics, scoped by the connection manager's {@code stat_prefix}: {@code
 * partition_requests{stat_prefix, action, peer}} counts the requests a rule acted on ({@code
 * action="lose"} only for those it dropped; those it let through are {@code
 * partition_lose_passed}), {@code partition_held_requests} is the number of streams held now by
 * drop or lose. Peers come from the configuration, so the labels stay a bounded set. Shared by
 * every per-route override of the filter, and across snapshots through {@link FilterMeters}.
 */
final class PartitionStats {
  private final FilterMeters meters;
  private final String statPrefix;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  final AtomicLong held;

  PartitionStats(FilterMeters meters, String statPrefix) {
    this.meters = meters;
    this.statPrefix = statPrefix;
    this.held =
        meters.gauge(
            "partition_held_requests",
            "Requests held without answer by a partition rule (drop, lose)",
            "stat_prefix",
            statPrefix);
  }

  /** Counts one request {@code action} was applied to, for {@code peer}. */
  void acted(PartitionRule.Action action, String peer) {
    counter("partition_requests", "Requests a partition rule acted on", action.configName(), peer)
        .increment();
  }

  /** Counts one request a {@code lose} rule let through. */
  void lostPassed(String peer) {
    counter("partition_lose_passed", "Requests a lose rule let through", "lose", peer).increment();
  }

  private Counter counter(String name, String description, String action, String peer) {
    return counters.computeIfAbsent(
        name + '\0' + action + '\0' + peer,
        k ->
            meters.counter(
                name, description, "stat_prefix", statPrefix, "action", action, "peer", peer));
  }
}
