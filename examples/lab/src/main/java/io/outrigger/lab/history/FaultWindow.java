package io.outrigger.lab.history;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A time during which the nemesis held a fault in force.
 *
 * @param startNanos when the fault request was sent, nanoseconds since the run's start
 * @param endNanos when the heal that ended it was in force on every node (or the client gave up
 *     waiting), nanoseconds since the run's start
 * @param description what the fault was, e.g. {@code isolate n2} or {@code partition [n1] | [n2,
 *     n3]}
 * @param sides for partitions, each node's side: {@code majority} when the node still reaches a
 *     majority of the nodes (itself included), else {@code minority}; empty for faults without
 *     sides (flaky links)
 * @param applyMillis how long the fault took to be ACKed by every node; -1 when the bounded wait
 *     ended first
 * @param healMillis how long its heal took to be ACKed by every node; -1 when the bounded wait
 *     ended first
 */
public record FaultWindow(
    long startNanos,
    long endNanos,
    String description,
    Map<String, String> sides,
    long applyMillis,
    long healMillis) {

  public FaultWindow {
    requireNonNull(description, "description");
    sides = Map.copyOf(sides);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(
          "endNanos: %s (expected: >= startNanos %s)".formatted(endNanos, startNanos));
    }
  }

  /**
   * When the fault was in force on every node: its request plus {@code applyMillis}, or the request
   * itself when that was not confirmed.
   */
  public long inForceFromNanos() {
    return Math.min(endNanos, startNanos + Math.max(0, applyMillis) * 1_000_000);
  }

  /**
   * When its heal was requested, so that from then on some node may be healed: the end minus {@code
   * healMillis}, or the end itself when the heal was not confirmed.
   */
  public long inForceUntilNanos() {
    return Math.max(inForceFromNanos(), endNanos - Math.max(0, healMillis) * 1_000_000);
  }

  /**
   * True when an operation invoked at {@code nanos} was invoked while the fault was in force on
   * every node and before its heal was requested.
   */
  public boolean inForce(long nanos) {
    return nanos >= inForceFromNanos() && nanos <= inForceUntilNanos();
  }
}
