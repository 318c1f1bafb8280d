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
 */
public record FaultWindow(
    long startNanos,
    long endNanos,
    String description,
    Map<String, String> sides,
    long applyMillis) {

  public FaultWindow {
    requireNonNull(description, "description");
    sides = Map.copyOf(sides);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(
          "endNanos: %s (expected: >= startNanos %s)".formatted(endNanos, startNanos));
    }
  }

  /** True when an operation invoked at {@code nanos} was invoked during this fault. */
  public boolean contains(long nanos) {
    return nanos >= startNanos && nanos <= endNanos;
  }
}
